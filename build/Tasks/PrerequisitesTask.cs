using Cake.Common.Diagnostics;
using Cake.Frosting;
using Wheelhouse.Build.Testing;

namespace Wheelhouse.Build.Tasks;

[TaskName("prerequisites")]
[TaskDescription("install, with apt, the Debian tools the tests drive (needs root, or prints the command)")]
public sealed class PrerequisitesTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var missing = DebianPrerequisites.Missing();
        if (missing.Count == 0)
        {
            context.Information("all test prerequisites are installed");
            return;
        }
        context.Information($"installing: {string.Join(' ', missing)}");
        DebianPrerequisites.Install(missing);
    }
}
