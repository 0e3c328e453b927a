using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Build;
using Cake.Frosting;

namespace Wheelhouse.Build.Tasks;

[TaskName("build")]
[TaskDescription("compile the solution")]
public sealed class BuildTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.DotNetBuild(context.Solution, new DotNetBuildSettings { Configuration = context.BuildConfiguration });
}
