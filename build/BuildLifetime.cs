using Cake.Core;
using Cake.Frosting;

namespace Wheelhouse.Build;

/// <summary>
/// Fails the run, once every target has run, if a test run failed: a failing test suite does not stop the suites
/// after it (<c>test</c> runs them all, so CI's closing line counts every test), but the run still ends non-zero.
/// </summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ISetupContext info)
    {
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        if (info.Successful && context.FailedTestRuns.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", context.FailedTestRuns));
        }
    }
}
