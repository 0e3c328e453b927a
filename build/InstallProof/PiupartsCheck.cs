using System.Text;
using Wheelhouse.Build.InstallProof.Steps;

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// Debian's own package tester: piuparts installs and purges the new build in a chroot and reports anything left
/// behind, then installs the previous version from the repository and upgrades it to the new build. The chroot
/// starts from the cached base image (its dependencies already present), so it needs only our repository,
/// served on the host's loopback for the length of the run.
/// </summary>
public sealed class PiupartsCheck(Shell shell)
{
    /// <summary>The piuparts command line for <paramref name="debs"/> in <paramref name="chroot"/> (its sources.list already ours).</summary>
    public static IReadOnlyList<string> Command(string chroot, string debianSuite, string temporary, IEnumerable<string> debs) =>
        ["piuparts", $"--existing-chroot={chroot}", "--keep-sources-list", $"--distribution={debianSuite}",
         $"--tmpdir={temporary}", "--no-eatmydata", "--skip-logrotatefiles-test", .. debs];

    /// <param name="previousRepository">A repository holding only the previous version, which the upgrade test starts from.</param>
    public async Task RunAsync(string baseTarball, string previousRepository, string debianSuite, ProofSettings settings, IReadOnlyList<string> debs, string work)
    {
        var chroot = Path.Combine(work, "piuparts-chroot");
        var temporary = Path.Combine(work, "piuparts-tmp");
        Directory.CreateDirectory(chroot);
        Directory.CreateDirectory(temporary);
        await shell.CheckAsync("cannot unpack the base image for piuparts", ["tar", "--extract", "--numeric-owner", "--file", baseTarball, "--directory", chroot]);
        await using var server = await RepositoryServer.StartAsync(previousRepository, networkOfPid: null, shell.Log);
        var keyring = Path.Combine(chroot, SignedRepositoryIsAccepted.KeyringPath.TrimStart('/'));
        File.Copy(settings.KeyringFile, keyring, overwrite: true);
        File.Delete(Path.Combine(chroot, "etc/apt/sources.list.d/debian.sources"));
        await File.WriteAllTextAsync(Path.Combine(chroot, "etc/apt/sources.list"),
            SignedRepositoryIsAccepted.SourceLine(server.Url, settings.Suite, settings.Component) + "\n", new UTF8Encoding(false));

        shell.Log.WriteLine($"  piuparts: install/purge of {settings.UpgradeVersion}, and upgrade from {settings.FirstVersion} in the repository");
        await shell.CheckAsync("piuparts found problems (see its log above)", Command(chroot, debianSuite, temporary, debs));
    }
}
