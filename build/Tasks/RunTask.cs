using System.Diagnostics;
using System.Text.RegularExpressions;
using Cake.Frosting;
using Wheelhouse.Build.InstallProof;
using Wheelhouse.Packaging.Publishing;

namespace Wheelhouse.Build.Tasks;

/// <summary>
/// Tries the server without installing anything: this build's own publish output for this machine, on loopback, with
/// its data in artifacts/run/ (kept between runs). Prints the URL and root's password; Ctrl-C stops it cleanly.
/// </summary>
[TaskName("run")]
[TaskDescription("start the server from this build's publish output on http://127.0.0.1:3141 with its data in artifacts/run/ (kept); Ctrl-C stops it")]
public sealed partial class RunTask : AsyncFrostingTask<BuildContext>
{
    public const int DefaultPort = 3141;

    public override async Task RunAsync(BuildContext context)
    {
        var architecture = ProofVersions.HostArchitecture();
        var rid = BuildContext.RuntimeIdentifiers[architecture];
        context.LockArtifacts();
        await DotNetPublisher.PublishAsync(new PublishRequest(context.RepositoryRoot, context.PayloadProject(), context.BuildConfiguration, [rid], context.PublishRoot, await context.ResolveVersionAsync()), context.Say);

        var runDirectory = Path.Combine(context.Artifacts, "run");
        var dataDirectory = Path.Combine(runDirectory, "data");
        Directory.CreateDirectory(dataDirectory);
        // Its own config file, so a package's /etc/wheelhouse-server/wheelhouse.json on this machine is not read;
        // WHEELHOUSE_* variables still override it (WHEELHOUSE_PORT=4000 ./build.sh run).
        var config = Path.Combine(runDirectory, "wheelhouse.json");
        await File.WriteAllTextAsync(config, $$"""
            // Written by ./build.sh run on every start; WHEELHOUSE_* variables override these keys.
            { "host": "127.0.0.1", "port": {{DefaultPort}}, "dataDir": "{{dataDirectory}}", "logLevel": "Information" }

            """);

        var start = new ProcessStartInfo(Path.Combine(context.PublishDirectoryFor(architecture), "wheelhouse-server")) { RedirectStandardOutput = true };
        foreach (var argument in new[] { "serve", "--config", config })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("WHEELHOUSE_CONFIG");

        using var server = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        // Ctrl-C reaches the server too (same process group) and stops it gracefully; this build only waits for that.
        var stopping = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stopping = true;
            context.Say("stopping the server (Ctrl-C)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            string? line;
            while ((line = await server.StandardOutput.ReadLineAsync()) is not null)
            {
                Console.WriteLine(line);
                if (ReadyLine().Match(line) is { Success: true } ready)
                {
                    Announce(context, ready.Groups["url"].Value, dataDirectory);
                }
            }
            await server.WaitForExitAsync();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        if (server.ExitCode != 0 && !stopping)
        {
            throw new InvalidOperationException($"wheelhouse-server exited with {server.ExitCode}; see its messages above");
        }

        context.Say($"server stopped; its data stays in {Path.GetRelativePath(context.RepositoryRoot, dataDirectory)} for the next ./build.sh run");
    }

    private static void Announce(BuildContext context, string url, string dataDirectory)
    {
        var passwordFile = Path.Combine(dataDirectory, "root-password");
        var password = File.Exists(passwordFile) ? File.ReadAllText(passwordFile).Trim() : null;
        context.Say($"""

            Wheelhouse is running at {url}/  (Ctrl-C stops it)
              log in:   user root, password {password ?? $"(not generated here: root's password came from WHEELHOUSE_ROOT_PASSWORD)"}
              pip:      pip install --index-url {url}/root/pypi/+simple/ <project>
              devpi:    devpi use {url}/ && devpi login root --password '{password ?? "..."}'
              data:     {dataDirectory} (kept between runs; delete it to start afresh)

            """);
    }

    [GeneratedRegex(@"ready on (?<url>http://[^\s,;()]+)")]
    private static partial Regex ReadyLine();
}
