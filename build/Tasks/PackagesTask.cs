using Cake.Frosting;
using Wheelhouse.Packaging.Layout;

namespace Wheelhouse.Build.Tasks;

[TaskName("packages")]
[TaskDescription("render the templates and write artifacts/deb/<package>_<version>_<arch>.deb for every manifest and --arch")]
[IsDependentOn(typeof(PublishTask))]
public sealed class PackagesTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        context.LockArtifacts();
        var version = await context.ResolveVersionAsync();
        var timestamp = await context.ResolveTimestampAsync();
        var requests = PackagePlan.For(context.Manifests(), context.Architectures, context.PublishDirectoryFor, version,
            context.RepositoryRoot, context.DebDirectory, context.Compression, timestamp, context.Suite);
        var schedule = PackageBuildSchedule.For(requests.Count, Environment.ProcessorCount);
        context.Say($"version {version}, timestamp {timestamp:u} ({timestamp.ToUnixTimeSeconds()}), compression {context.Compression.ToString().ToLowerInvariant()}, "
            + $"{schedule.Concurrent} package(s) at a time with {schedule.ThreadsEach} compressor thread(s) each");

        // Each line names its package and architecture, so lines of packages written side by side read on their own.
        var results = new PackageBuildResult[requests.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = schedule.Concurrent }, (i, _) =>
        {
            var request = requests[i];
            context.Say($"[{request.Manifest.Package} {request.Architecture}] writing the .deb");
            var result = PackageBuilder.Build(request, PayloadDependencies.Compute, schedule.ThreadsEach);
            context.Say($"[{request.Manifest.Package} {request.Architecture}] {(result.Skipped ? "up to date" : "wrote")} {Path.GetRelativePath(context.RepositoryRoot, result.DebPath)} ({result.Elapsed.TotalSeconds:0.0} s)");
            results[i] = result;
            return ValueTask.CompletedTask;
        });
        context.RecordBuiltPackages(results.Select(r => r.DebPath));
    }
}
