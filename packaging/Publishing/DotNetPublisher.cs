using CliWrap;

namespace Wheelhouse.Packaging.Publishing;

/// <summary>
/// Publishes a project self-contained for each runtime with <c>dotnet publish</c>, streaming its output.
/// A runtime whose inputs are unchanged since its last publish is skipped.
/// </summary>
public static class DotNetPublisher
{
    private const string StampSuffix = ".inputs";

    public static async Task<IReadOnlyList<string>> PublishAsync(PublishRequest request, Action<string> log, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(request.OutputRoot);
        var stale = new List<(string Rid, string Digest)>();
        foreach (var rid in request.RuntimeIdentifiers)
        {
            var digest = PublishInputs.Digest(request, rid);
            var stamp = request.OutputFor(rid) + StampSuffix;
            if (Directory.Exists(request.OutputFor(rid)) && File.Exists(stamp) && File.ReadAllText(stamp) == digest)
            {
                log($"publish {rid}: up to date ({request.OutputFor(rid)})");
            }
            else
            {
                stale.Add((rid, digest));
            }
        }
        if (stale.Count == 0)
        {
            return [];
        }

        foreach (var (rid, _) in stale)
        {
            File.Delete(request.OutputFor(rid) + StampSuffix);
            if (Directory.Exists(request.OutputFor(rid)))
            {
                Directory.Delete(request.OutputFor(rid), recursive: true);
            }
        }

        // One after the other: two publishes at once would build the shared, runtime-independent projects
        // into the same output folder at the same time. The second publish reuses what the first built.
        foreach (var (rid, _) in stale)
        {
            await RunAsync(Arguments(request, rid), request.RepositoryRoot, log, cancellationToken);
        }

        foreach (var (rid, digest) in stale)
        {
            if (!Directory.Exists(request.OutputFor(rid)) || Directory.GetFiles(request.OutputFor(rid)).Length == 0)
            {
                throw new InvalidOperationException($"dotnet publish for {rid} produced nothing in {request.OutputFor(rid)}");
            }

            File.WriteAllText(request.OutputFor(rid) + StampSuffix, digest);
        }
        return stale.Select(s => s.Rid).ToList();
    }

    /// <summary>The <c>dotnet</c> arguments that publish <paramref name="request"/> for <paramref name="rid"/>.</summary>
    public static IReadOnlyList<string> Arguments(PublishRequest request, string rid)
    {
        var project = Path.GetFullPath(Path.Combine(request.RepositoryRoot, request.Project));
        List<string> arguments = ["publish", project, "--runtime", rid, "--self-contained", "--configuration", request.Configuration,
            "--output", request.OutputFor(rid), "-nologo", "-v:minimal"];
        if (request.Version is { } version)
        {
            arguments.Add($"-p:InformationalVersion={version}");
        }

        return arguments;
    }

    private static async Task RunAsync(IReadOnlyList<string> arguments, string workingDirectory, Action<string> log, CancellationToken cancellationToken)
    {
        log($"dotnet {string.Join(' ', arguments)}");
        var result = await Cli.Wrap("dotnet").WithArguments(arguments).WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(env => env.Set("DOTNET_CLI_TELEMETRY_OPTOUT", "1").Set("DOTNET_NOLOGO", "1"))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => log("  " + line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => log("  " + line)))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {arguments[0]} failed with exit code {result.ExitCode}; see the output above");
        }
    }
}
