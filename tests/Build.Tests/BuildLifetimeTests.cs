using Cake.Core;
using Cake.Frosting;

namespace Wheelhouse.Build.Tests;

/// <summary>
/// The host runs a lifetime's Teardown after every target, and a Teardown that throws fails a run whose tasks all
/// passed: how a failing test suite lets the suites after it run (and report) and still fails the run.
/// </summary>
public sealed class BuildLifetimeTests
{
    [Fact]
    public void A_failure_deferred_by_a_task_lets_the_dependent_task_run_and_fails_the_run_at_its_end()
    {
        var ran = new List<string>();
        LifetimeContext.Ran = ran;

        var code = new CakeHost().UseContext<LifetimeContext>().UseLifetime<LifetimeTeardown>().Run(["lifetime-second"]);

        ran.Should().Equal("setup", "lifetime-first", "lifetime-second", "teardown");
        code.Should().Be(1, "the first task recorded a failure");
    }

    [Fact]
    public void A_run_with_no_deferred_failure_ends_zero()
    {
        var ran = new List<string>();
        LifetimeContext.Ran = ran;

        var code = new CakeHost().UseContext<LifetimeContext>().UseLifetime<LifetimeTeardown>().Run(["lifetime-clean"]);

        ran.Should().Equal("setup", "lifetime-clean", "teardown");
        code.Should().Be(0);
    }
}

public sealed class LifetimeContext(ICakeContext context) : FrostingContext(context)
{
    /// <summary>What ran, in order (the host creates the context, so the test hands its list over here).</summary>
    public static List<string> Ran { get; set; } = [];

    public List<string> Failures { get; } = [];
}

public sealed class LifetimeTeardown : FrostingLifetime<LifetimeContext>
{
    public override void Setup(LifetimeContext context, ISetupContext info) => LifetimeContext.Ran.Add("setup");

    public override void Teardown(LifetimeContext context, ITeardownContext info)
    {
        LifetimeContext.Ran.Add("teardown");
        if (info.Successful && context.Failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", context.Failures));
        }
    }
}

[TaskName("lifetime-first")]
public sealed class LifetimeFirstTask : FrostingTask<LifetimeContext>
{
    public override void Run(LifetimeContext context)
    {
        LifetimeContext.Ran.Add("lifetime-first");
        context.Failures.Add("lifetime-first failed");
    }
}

[TaskName("lifetime-second")]
[IsDependentOn(typeof(LifetimeFirstTask))]
public sealed class LifetimeSecondTask : FrostingTask<LifetimeContext>
{
    public override void Run(LifetimeContext context) => LifetimeContext.Ran.Add("lifetime-second");
}

[TaskName("lifetime-clean")]
public sealed class LifetimeCleanTask : FrostingTask<LifetimeContext>
{
    public override void Run(LifetimeContext context) => LifetimeContext.Ran.Add("lifetime-clean");
}
