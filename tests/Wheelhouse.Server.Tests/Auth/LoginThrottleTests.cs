using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Tests.Mirrors;

namespace Wheelhouse.Server.Tests.Auth;

public sealed class LoginThrottleTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Ten_failures_a_minute_for_a_name_then_waiting_until_the_oldest_leaves_the_window()
    {
        var throttle = new LoginThrottle(_clock);
        for (var i = 0; i < LoginThrottle.Limit; i++)
        {
            throttle.RetryAfter("alice", $"192.0.2.{i}").Should().BeNull();
            throttle.Failed("alice", $"192.0.2.{i}");
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        throttle.RetryAfter("alice", "198.51.100.1").Should().Be(TimeSpan.FromSeconds(50), "the first failure was 10 s ago");
        throttle.RetryAfter("bob", "198.51.100.1").Should().BeNull("another name from another address is not limited");
        _clock.Advance(TimeSpan.FromSeconds(50));
        throttle.RetryAfter("alice", "198.51.100.1").Should().BeNull();
    }

    [Fact]
    public void Ten_failures_from_one_address_limit_every_name_from_there()
    {
        var throttle = new LoginThrottle(_clock);
        for (var i = 0; i < LoginThrottle.Limit; i++)
        {
            throttle.Failed($"user{i}", "203.0.113.9");
        }
        throttle.RetryAfter("someone-else", "203.0.113.9").Should().Be(LoginThrottle.Window);
        throttle.RetryAfter("someone-else", "203.0.113.10").Should().BeNull();
    }

    [Fact]
    public void Success_clears_the_name_but_not_the_address()
    {
        var throttle = new LoginThrottle(_clock);
        for (var i = 0; i < LoginThrottle.Limit; i++)
        {
            throttle.Failed("alice", "203.0.113.9");
        }
        throttle.Succeeded("alice");
        throttle.RetryAfter("alice", "198.51.100.1").Should().BeNull();
        throttle.RetryAfter("alice", "203.0.113.9").Should().NotBeNull();
    }
}
