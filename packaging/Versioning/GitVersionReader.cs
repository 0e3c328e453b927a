using CliWrap;
using CliWrap.Buffered;

namespace Wheelhouse.Packaging.Versioning;

/// <summary>Asks git (via CliWrap) for what <see cref="GitVersion"/> needs, and for the commit time.</summary>
public sealed class GitVersionReader(string repositoryDirectory, string gitExecutable = "git")
{
    public async Task<DebianVersion> ReadVersionAsync(CancellationToken cancellationToken = default)
    {
        var describe = await RunAsync(["describe", "--tags", "--long", "--match", GitVersion.DescribeMatch, "HEAD"], allowFailure: true, cancellationToken);
        if (describe.ExitCode == 0)
        {
            return GitVersion.FromDescribe(describe.StandardOutput);
        }

        var count = await RunAsync(["rev-list", "--count", "HEAD"], allowFailure: false, cancellationToken);
        var hash = await RunAsync(["rev-parse", "--short", "HEAD"], allowFailure: false, cancellationToken);
        return GitVersion.Untagged(long.Parse(count.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture), hash.StandardOutput);
    }

    /// <summary>The committer time of HEAD: the default SOURCE_DATE_EPOCH.</summary>
    public async Task<DateTimeOffset> ReadCommitTimeAsync(CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["log", "-1", "--format=%ct", "HEAD"], allowFailure: false, cancellationToken);
        return DateTimeOffset.FromUnixTimeSeconds(long.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<BufferedCommandResult> RunAsync(string[] arguments, bool allowFailure, CancellationToken cancellationToken)
    {
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(gitExecutable)
                .WithArguments(arguments)
                .WithWorkingDirectory(repositoryDirectory)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run '{gitExecutable}': {e.Message}; install git or pass --version", e);
        }

        if (result.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException(
                $"'git {string.Join(' ', arguments)}' failed in {repositoryDirectory} (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }

        return result;
    }
}
