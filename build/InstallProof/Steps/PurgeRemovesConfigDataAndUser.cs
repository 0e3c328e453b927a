namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>apt-get purge leaves nothing of ours behind: configuration, data, cache, site and the system user are gone.</summary>
public sealed class PurgeRemovesConfigDataAndUser : IProofStep
{
    public const string NginxCacheDirectory = "/var/cache/wheelhouse-nginx";

    public string Claim => "apt-get purge removes config, data, the nginx site and the user, and nginx keeps running";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking($"apt-get purge -y {s.NginxPackage} {s.ServerPackage}");
        await context.MustAsync("apt-get purge failed", "apt-get", "purge", "-y", s.NginxPackage, s.ServerPackage);
        foreach (var package in new[] { s.ServerPackage, s.NginxPackage })
        {
            var status = await context.Container.ExecAsync(["dpkg-query", "--show", "--showformat=${Status}", package]);
            context.Expect(status.ExitCode != 0 || status.StandardOutput.Contains("not-installed", StringComparison.Ordinal),
                $"{package} is still known to dpkg after purge: '{status.StandardOutput.Trim()}'");
        }

        string[] gone = [Path.GetDirectoryName(s.ServerConfigFile)!, s.DataDirectory, s.NginxSite, s.NginxSiteLink, NginxCacheDirectory];
        foreach (var path in gone)
        {
            context.Checking($"{path} is gone");
            var exists = await context.Container.ExecAsync(["sh", "-c", $"test -e '{path}' || test -L '{path}'"], echo: false);
            context.Expect(exists.ExitCode != 0, $"{path} is still there after purge");
        }
        context.Checking($"user and group {s.ServiceUser} are gone");
        var user = await context.Container.ExecAsync(["getent", "passwd", s.ServiceUser]);
        context.Expect(user.ExitCode == 2, $"user {s.ServiceUser} still exists after purge");
        var group = await context.Container.ExecAsync(["getent", "group", s.ServiceUser]);
        context.Expect(group.ExitCode == 2, $"group {s.ServiceUser} still exists after purge");

        context.Checking("nginx accepts its configuration and keeps serving its default site");
        await context.MustAsync("nginx -t fails after purge", "nginx", "-t");
        await context.MustAsync("nginx stopped", "systemctl", "is-active", "nginx.service");
        await HealthAnswersDirectlyAndThroughNginx.ExpectDefaultSiteAsync(context);
    }
}
