using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

public class KeyedSingleFlightTests
{
    [Fact]
    public async Task Concurrent_callers_for_one_key_share_one_run()
    {
        var flight = new KeyedSingleFlight<string, int>();
        var gate = new TaskCompletionSource();
        var runs = 0;

        var callers = Enumerable.Range(0, 32).Select(_ => Task.Run(() => flight.RunAsync("page", async _ =>
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return 42;
        }))).ToList();
        await WaitUntil(() => flight.InFlight == 1 && runs == 1);
        await Task.Delay(50);
        gate.SetResult();
        var results = await Task.WhenAll(callers);

        runs.Should().Be(1);
        results.Should().AllSatisfy(r => r.Result.Should().Be(42));
        results.Count(r => r.Started).Should().Be(1);
        flight.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task Different_keys_run_separately_and_a_finished_key_runs_again()
    {
        var flight = new KeyedSingleFlight<string, string>();
        var runs = 0;

        var a = await flight.RunAsync("a", _ => Task.FromResult("A" + Interlocked.Increment(ref runs)));
        var b = await flight.RunAsync("b", _ => Task.FromResult("B" + Interlocked.Increment(ref runs)));
        var again = await flight.RunAsync("a", _ => Task.FromResult("A" + Interlocked.Increment(ref runs)));

        (a.Result, b.Result, again.Result).Should().Be(("A1", "B2", "A3"));
    }

    [Fact]
    public async Task One_caller_giving_up_does_not_cancel_the_work_for_the_others()
    {
        var flight = new KeyedSingleFlight<string, int>();
        var gate = new TaskCompletionSource();
        using var impatient = new CancellationTokenSource();

        var first = flight.RunAsync("k", async token =>
        {
            await gate.Task.WaitAsync(token);
            return 7;
        }, impatient.Token);
        var second = flight.RunAsync("k", _ => Task.FromResult(-1));
        await impatient.CancelAsync();
        gate.SetResult();

        await first.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        (await second).Result.Should().Be(7);
    }

    [Fact]
    public async Task A_failure_reaches_every_waiter_and_is_not_remembered()
    {
        var flight = new KeyedSingleFlight<string, int>();

        await flight.Invoking(f => f.RunAsync("k", _ => Task.FromException<int>(new InvalidOperationException("boom"))))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("boom");
        (await flight.RunAsync("k", _ => Task.FromResult(1))).Result.Should().Be(1);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        condition().Should().BeTrue();
    }
}
