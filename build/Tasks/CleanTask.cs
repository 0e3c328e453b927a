using Cake.Common.IO;
using Cake.Frosting;

namespace Wheelhouse.Build.Tasks;

[TaskName("clean")]
[TaskDescription("remove artifacts/ and every bin/ and obj/ folder")]
public sealed class CleanTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        context.CleanDirectory(context.Artifacts);
        foreach (var dir in context.GetDirectories($"{context.RepositoryRoot}/{{src,tests,packaging,bench}}/**/{{bin,obj}}"))
        {
            context.DeleteDirectory(dir, new DeleteDirectorySettings { Recursive = true, Force = true });
        }
    }
}
