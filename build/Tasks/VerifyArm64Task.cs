using Cake.Frosting;
using Wheelhouse.Build.Arm64Proof;
using Wheelhouse.Build.InstallProof;
using Wheelhouse.Build.Testing;

namespace Wheelhouse.Build.Tasks;

[TaskName("verify-arm64")]
[TaskDescription("run the built arm64 server through qemu-user-static with Debian's arm64 libraries: version, init, serve, log-in, upload, simple page, download")]
[IsDependentOn(typeof(PrerequisitesTask))]
[IsDependentOn(typeof(PackagesTask))]
public sealed class VerifyArm64Task : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var debs = context.BuiltPackages().Where(d => Path.GetFileName(d).StartsWith("wheelhouse-server_", StringComparison.Ordinal)
            && d.EndsWith($"_{ForeignRoot.Architecture}.deb", StringComparison.Ordinal)).ToList();
        if (debs.Count != 1)
        {
            throw new InvalidOperationException($"the last build has {debs.Count} wheelhouse-server {ForeignRoot.Architecture} packages, not one; build with --arch {ForeignRoot.Architecture}");
        }

        var proof = new Arm64ServerProof(Console.Out, BaseImageCache.DefaultDirectory);
        try
        {
            await proof.RunAsync(debs[0]);
        }
        finally
        {
            SummaryFile.Write(context.TestResults, "verify-arm64", proof.Tally.ClosingLine, proof.Tally.Failures);
        }
        if (proof.Tally.Failed > 0)
        {
            context.TestRunFailed($"verify-arm64: the arm64 package failed under qemu ({proof.Tally.ClosingLine}); see above");
        }
    }
}
