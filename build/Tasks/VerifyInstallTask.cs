using Cake.Frosting;
using Wheelhouse.Build.InstallProof;
using Wheelhouse.Build.Testing;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Layout;

namespace Wheelhouse.Build.Tasks;

[TaskName("verify-install")]
[TaskDescription("boot a systemd container and prove the packages install from the signed repository, serve through nginx, upgrade, remove and purge; then piuparts")]
[IsDependentOn(typeof(PrerequisitesTask))]
[IsDependentOn(typeof(PackagesTask))]
public sealed class VerifyInstallTask : AsyncFrostingTask<BuildContext>
{
    /// <summary>The Debian release the packages are proven on (what ops run; also this CI's host).</summary>
    public const string DebianSuite = "bookworm";

    /// <summary>
    /// The upgrade build only has to be newer, not smaller: zstd writes it in seconds where xz takes minutes on a
    /// busy CI machine, and dpkg (1.21.18 and later, bookworm's included) reads both.
    /// </summary>
    private const DebCompression UpgradeCompression = DebCompression.Zstd;

    public override async Task RunAsync(BuildContext context)
    {
        var architecture = ProofVersions.HostArchitecture();
        var debs = context.BuiltPackages().Where(d => d.EndsWith($"_{architecture}.deb", StringComparison.Ordinal) || d.EndsWith("_all.deb", StringComparison.Ordinal)).ToList();
        if (!debs.Any(d => d.EndsWith($"_{architecture}.deb", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"the last build has no {architecture} package, the only kind this machine can boot; build with --arch {architecture}");
        }

        var timestamp = await context.ResolveTimestampAsync();

        Task<IReadOnlyList<string>> BuildVersion(string version, string outputDirectory) => Task.Run<IReadOnlyList<string>>(() =>
        {
            Directory.CreateDirectory(outputDirectory);
            var requests = PackagePlan.For(context.Manifests(), [architecture], context.PublishDirectoryFor, version,
                context.RepositoryRoot, outputDirectory, UpgradeCompression, timestamp, context.Suite);
            return requests.Select(r => PackageBuilder.Build(r, PayloadDependencies.Compute).DebPath).ToList();
        });

        var run = new InstallProofRun(Console.Out);
        try
        {
            await run.RunAsync(new InstallProofInputs(debs, BuildVersion, context.Suite, DebianSuite,
                context.SigningKeySpec, context.Artifacts, BaseImageCache.DefaultDirectory, RunPiuparts: true,
                Path.Combine(context.RepositoryRoot, "deploy")));
        }
        catch (Exception e) when (run.Tally.Failed > 0)
        {
            // A failed step of the proof (the run counts every exception as one): the arm64 proof after it still runs
            // and reports, and the run fails at its end (BuildLifetime).
            context.TestRunFailed($"verify-install failed ({run.Tally.ClosingLine}): {e.Message}");
        }
        finally
        {
            SummaryFile.Write(context.TestResults, "verify-install", run.Tally.ClosingLine, run.Tally.Failures);
        }
    }
}
