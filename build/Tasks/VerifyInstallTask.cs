using Cake.Frosting;
using Wheelhouse.Build.InstallProof;
using Wheelhouse.Build.InstallProof.Steps;

namespace Wheelhouse.Build.Tasks;

[TaskName("verify-install")]
[TaskDescription("boot a systemd container and prove the packages install, serve, upgrade, remove and purge as ops use them")]
public sealed class VerifyInstallTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var log = Console.Out;
        var shell = new Shell(log);
        var cache = new BaseImageCache(BaseImageCache.DefaultDirectory, shell);
        var tarball = await cache.EnsureAsync(BaseImage.For("bookworm", []));
        await using var container = await BootedContainer.BootAsync(tarball, shell);
        var proof = new ProofContext(container, log, new ProofSettings { KeyringFile = "", FirstVersion = "", UpgradeVersion = "" });
        await new ProofRunner(log).RunAsync(proof, [new ContainerBootsWithSystemd()]);
    }
}
