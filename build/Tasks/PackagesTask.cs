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
        context.Say($"version {version}, timestamp {timestamp:u} ({timestamp.ToUnixTimeSeconds()}), compression {context.Compression.ToString().ToLowerInvariant()}");
        var requests = PackagePlan.For(context.Manifests(), context.Architectures, context.PublishDirectoryFor, version,
            context.RepositoryRoot, context.DebDirectory, context.Compression, timestamp, context.Suite);
        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => PackageBuilder.Build(r, PayloadDependencies.Compute))));
        foreach (var result in results)
            context.Say($"{(result.Skipped ? "up to date" : "wrote")} {Path.GetRelativePath(context.RepositoryRoot, result.DebPath)} ({result.Elapsed.TotalSeconds:0.0} s)");
        context.RecordBuiltPackages(results.Select(r => r.DebPath));
    }
}
