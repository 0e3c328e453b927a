using CliWrap;
using CliWrap.Buffered;

namespace Wheelhouse.Packaging.Apt;

/// <summary>Signs Release files and exports the public key with gpg, in one GNUPGHOME.</summary>
public sealed class GpgSigner(string homeDirectory, string fingerprint)
{
    public string HomeDirectory { get; } = homeDirectory;
    public string Fingerprint { get; } = fingerprint;

    /// <summary>Writes InRelease (clearsigned) and Release.gpg (detached, armored) beside <paramref name="releasePath"/>.</summary>
    public async Task SignAsync(string releasePath, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(releasePath)!;
        await Gpg.RunAsync(HomeDirectory, ["--local-user", Fingerprint, "--digest-algo", "SHA512", "--clearsign",
            "--output", Path.Combine(directory, "InRelease"), releasePath], cancellationToken);
        await Gpg.RunAsync(HomeDirectory, ["--local-user", Fingerprint, "--digest-algo", "SHA512", "--detach-sign", "--armor",
            "--output", Path.Combine(directory, "Release.gpg"), releasePath], cancellationToken);
    }

    /// <summary>The public key, binary (for signed-by) and armored (for people), at <paramref name="basePath"/>.gpg and .asc.</summary>
    public async Task ExportPublicKeyAsync(string basePath, CancellationToken cancellationToken = default)
    {
        await Gpg.RunAsync(HomeDirectory, ["--export", "--output", basePath + ".gpg", Fingerprint], cancellationToken);
        await Gpg.RunAsync(HomeDirectory, ["--export", "--armor", "--output", basePath + ".asc", Fingerprint], cancellationToken);
    }

    /// <summary>Stops the gpg-agent that signing started for this home, so no process outlives the build.</summary>
    public Task StopAgentAsync() => Gpg.StopAgentAsync(HomeDirectory);
}

/// <summary>Runs gpg in batch mode against one home directory, with errors that say which command failed.</summary>
internal static class Gpg
{
    public static async Task<string> RunAsync(string home, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        string[] all = ["--homedir", home, "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", .. arguments];
        var command = Cli.Wrap("gpg").WithArguments(all).WithValidation(CommandResultValidation.None);
        BufferedCommandResult result;
        try
        {
            result = await command.ExecuteBufferedAsync(cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run gpg ({ex.Message}); install it with: apt-get install gnupg", ex);
        }
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"gpg {string.Join(' ', arguments)} failed with exit code {result.ExitCode}:\n{result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    public static async Task StopAgentAsync(string home)
    {
        await Cli.Wrap("gpgconf").WithArguments(["--homedir", home, "--kill", "gpg-agent"])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    }
}
