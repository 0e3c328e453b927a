using Cake.Frosting;
using Wheelhouse.Build.Testing;

namespace Wheelhouse.Build.Tasks;

[TaskName("unit-test")]
[TaskDescription("the fast loop: every test not marked [Integration], in memory (no process, network, apt or root); run it after every change")]
public sealed class UnitTestTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => TestRun.Run(context, "unit-test", TestRun.UnitFilter);
}
