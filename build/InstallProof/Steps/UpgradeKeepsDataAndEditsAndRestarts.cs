namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// Upgrading to a newer build through apt keeps what ops care about: the uploaded releases, their edits to the
/// conffiles (with no prompt), and the service running, restarted on the new binaries.
/// </summary>
public sealed class UpgradeKeepsDataAndEditsAndRestarts(Func<Task> publishUpgrade) : IProofStep
{
    public const string EditMarker = "edited by the install proof";

    public string Claim => "an upgrade keeps uploaded data and edited conffiles, and restarts the service";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking($"ops edit {s.ServerConfigFile} and {s.NginxSite}");
        await context.MustShAsync("cannot edit the conffiles",
            $"sed -i '1a // {EditMarker}' {s.ServerConfigFile}; printf '# {EditMarker}\\n' >> {s.NginxSite}");
        var before = await context.MainPidAsync();
        context.Log.WriteLine($"    server pid before the upgrade: {before}");

        context.Checking($"{s.UpgradeVersion} is published into the same repository (which keeps {s.FirstVersion})");
        await publishUpgrade();
        await context.MustAsync("apt-get update failed after publishing the upgrade", "apt-get", "update");
        var policy = await context.MustAsync("apt-cache policy failed", "apt-cache", "policy", s.ServerPackage);
        context.Expect(policy.StandardOutput.Contains(s.FirstVersion, StringComparison.Ordinal) && policy.StandardOutput.Contains($"Candidate: {s.UpgradeVersion}", StringComparison.Ordinal),
            $"the repository should offer {s.UpgradeVersion} and still list {s.FirstVersion}:\n{policy.StandardOutput}");

        context.Checking("apt-get upgrade installs the new build without a conffile prompt (stdin is closed: a prompt fails)");
        await context.MustAsync("the upgrade failed", "apt-get", "install", "-y", "--no-install-recommends", s.ServerPackage, s.NginxPackage);
        await context.ExpectInstalledAsync(s.ServerPackage, s.UpgradeVersion);
        await context.ExpectInstalledAsync(s.NginxPackage, s.UpgradeVersion);

        context.Checking("the service was restarted: active, with a new main PID");
        await context.WaitForServiceAsync(active: true);
        var after = await context.MainPidAsync();
        context.Log.WriteLine($"    server pid after the upgrade: {after}");
        context.Expect(after != 0 && after != before, $"the main PID is {after} (was {before}); the upgrade did not restart the server");

        context.Checking("both edits are still in place");
        await context.MustAsync($"{s.ServerConfigFile} lost the edit", "grep", "-q", EditMarker, s.ServerConfigFile);
        await context.MustAsync($"{s.NginxSite} lost the edit", "grep", "-q", EditMarker, s.NginxSite);
        await context.MustAsync($"{s.NginxSiteLink} is gone after the upgrade", "test", "-L", s.NginxSiteLink);

        context.Checking("the release uploaded before the upgrade is still served by the server itself, and by nginx from disk");
        await context.WaitForHttpOkAsync($"{s.ServerUrl}/+status", TimeSpan.FromSeconds(30));
        await TwineUploadsAndPipInstallsThroughNginx.ExpectFileAsync(context, $"{s.ServerUrl}{context.Facts["file-path"]}", context.Facts["file-sha256"]);
        await NginxServesReleaseFilesFromDisk.ExpectFromDiskAsync(context, $"{s.NginxUrl}{context.Facts["file-path"]}", "application/zip");
    }
}
