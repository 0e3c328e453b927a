namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>The one command the README gives ops installs both packages, their dependencies coming from the system.</summary>
public sealed class PackagesInstallFromRepository : IProofStep
{
    public string Claim => "apt-get install wheelhouse-server wheelhouse-nginx works from the repository";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking($"apt-get install -y {s.ServerPackage} {s.NginxPackage} exits 0");
        await context.MustAsync("apt-get install failed", "apt-get", "install", "-y", "--no-install-recommends", s.ServerPackage, s.NginxPackage);
        foreach (var package in new[] { s.ServerPackage, s.NginxPackage })
        {
            context.Checking($"{package} is installed at {s.FirstVersion}");
            await context.ExpectInstalledAsync(package, s.FirstVersion);
        }
    }
}
