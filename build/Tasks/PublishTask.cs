using Cake.Frosting;
using Wheelhouse.Packaging.Publishing;

namespace Wheelhouse.Build.Tasks;

[TaskName("publish")]
[TaskDescription("dotnet publish the server self-contained for each --arch into artifacts/publish/<rid>/, stamped with the package version (skipped when sources and version are unchanged)")]
public sealed class PublishTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        context.LockArtifacts();
        var project = context.PayloadProject();
        var rids = context.Architectures.Select(a => BuildContext.RuntimeIdentifiers[a]).ToList();
        await DotNetPublisher.PublishAsync(
            new PublishRequest(context.RepositoryRoot, project, context.BuildConfiguration, rids, context.PublishRoot, await context.ResolveVersionAsync()),
            context.Say);
    }
}
