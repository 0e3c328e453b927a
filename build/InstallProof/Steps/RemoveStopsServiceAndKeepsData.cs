namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>apt-get remove stops the server but leaves configuration, data and the user, as Debian's remove does.</summary>
public sealed class RemoveStopsServiceAndKeepsData : IProofStep
{
    public string Claim => "apt-get remove stops the service and keeps config, data and the user";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking($"apt-get remove -y {s.NginxPackage} {s.ServerPackage}");
        await context.MustAsync("apt-get remove failed", "apt-get", "remove", "-y", s.NginxPackage, s.ServerPackage);
        foreach (var package in new[] { s.ServerPackage, s.NginxPackage })
        {
            var status = await context.Container.ExecAsync(["dpkg-query", "--show", "--showformat=${Status}", package]);
            context.Expect(status.StandardOutput.Trim() == "deinstall ok config-files", $"{package} is '{status.StandardOutput.Trim()}' after remove, expected config-files");
        }

        context.Checking("the service is stopped and no process of its user is left");
        await context.WaitForServiceAsync(active: false);
        var left = await context.Container.ExecAsync(["pgrep", "--uid", s.ServiceUser]);
        context.Expect(left.ExitCode == 1, $"processes of {s.ServiceUser} still run after remove: {left.StandardOutput.Trim()}");

        context.Checking($"the uploaded file is still in {s.DataDirectory}, the config in {s.ServerConfigFile}, the user exists");
        var blob = await context.MustAsync("cannot search the data directory", "find", s.DataDirectory, "-type", "f", "-name", context.Facts["file-sha256"][2..]);
        context.Expect(blob.StandardOutput.Trim().Length > 0, $"the uploaded release (sha256 {context.Facts["file-sha256"]}) is no longer in {s.DataDirectory}");
        await context.MustAsync($"{s.ServerConfigFile} is gone", "grep", "-q", UpgradeKeepsDataAndEditsAndRestarts.EditMarker, s.ServerConfigFile);
        await context.MustAsync($"{s.NginxSite} is gone", "test", "-f", s.NginxSite);
        await context.MustAsync($"user {s.ServiceUser} is gone", "getent", "passwd", s.ServiceUser);

        context.Checking("nginx still accepts its configuration and runs");
        await context.MustAsync("nginx -t fails after remove", "nginx", "-t");
        await context.MustAsync("nginx stopped", "systemctl", "is-active", "nginx.service");
        await HealthAnswersDirectlyAndThroughNginx.ExpectDefaultSiteAsync(context);
    }
}
