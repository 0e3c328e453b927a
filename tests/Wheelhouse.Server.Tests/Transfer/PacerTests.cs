using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Transfer;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>The backup's duty cycle, on a clock the test moves: work and rest are counted, never timed.</summary>
public sealed class PacerTests
{
    /// <summary>A clock that moves only when told: by the work the test pretends to do, and by the pacer's rests.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; private set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;

        public Task Sleep(TimeSpan rest, CancellationToken _)
        {
            Advance(rest);
            return Task.CompletedTask;
        }
    }

    private static async Task<(TimeSpan Worked, ManualClock Clock, Pacer Pacer)> WorkAsync(int percent, int operations, TimeSpan each)
    {
        var clock = new ManualClock();
        var pacer = new Pacer(percent, clock, clock.Sleep);
        for (var i = 0; i < operations; i++)
        {
            clock.Advance(each);
            await pacer.StepAsync(CancellationToken.None);
        }
        return (each * operations, clock, pacer);
    }

    [Theory]
    [InlineData(20, 10_000, 100)]
    [InlineData(50, 3_000, 1_000)]
    [InlineData(1, 500, 10_000)]
    [InlineData(99, 2_000, 250)]
    public async Task Work_takes_at_most_its_share_of_the_time(int percent, int operations, int microsecondsEach)
    {
        var (worked, clock, pacer) = await WorkAsync(percent, operations, TimeSpan.FromMicroseconds(microsecondsEach));

        var wall = TimeSpan.FromTicks(clock.Ticks);
        pacer.Rested.Should().Be(wall - worked, "the clock moved only by work and rests");
        // Every slice is followed by its rest, but the last slice (less than one) may still be running.
        var owed = (worked - Pacer.Slice) * (100 - percent) / percent;
        pacer.Rested.Should().BeGreaterThanOrEqualTo(owed, $"{percent} % of the time means resting {100 - percent} for every {percent} worked");
        pacer.Rested.Should().BeLessThanOrEqualTo(worked * (100 - percent) / percent, "it never rests more than its share asks");
        pacer.Rests.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo((int)(worked / Pacer.Slice), "it rests once per slice, not per operation");
    }

    [Fact]
    public async Task A_slow_operation_earns_a_long_rest_at_once()
    {
        var (_, _, pacer) = await WorkAsync(20, 1, TimeSpan.FromSeconds(1));

        pacer.Rests.Should().Be(1);
        pacer.Rested.Should().Be(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Full_speed_never_rests()
    {
        var (_, _, pacer) = await WorkAsync(Pacer.FullSpeed, 10_000, TimeSpan.FromMilliseconds(1));

        pacer.Rests.Should().Be(0);
        pacer.Rested.Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("20", 20)]
    [InlineData("100", 100)]
    [InlineData("1", 1)]
    [InlineData("35%", 35)]
    public void A_percent_from_1_to_100_is_taken(string given, int percent) =>
        Pacer.Parse(given, out _).Should().Be(percent);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("101")]
    [InlineData("fast")]
    [InlineData("2.5")]
    [InlineData("")]
    public void Anything_else_is_refused_with_what_to_give(string given)
    {
        Pacer.Parse(given, out var error).Should().BeNull();
        error.Should().Contain($"(got '{given}')").And.Contain("from 1 to 100").And.Contain("100 is full speed");
    }

    [Fact]
    public void Backup_takes_the_pace_from_its_command_line_and_defaults_to_a_live_servers()
    {
        CommandLine.Parse(["backup", "/srv/b", "--pace", "35"], out _)!.Pace.Should().Be(35);
        CommandLine.Parse(["backup", "--pace=100", "/srv/b"], out _)!.Pace.Should().Be(100);
        var plain = CommandLine.Parse(["backup", "/srv/b"], out _)!;
        plain.Pace.Should().Be(Pacer.DefaultPercent);
        plain.Directory.Should().Be("/srv/b");
    }

    [Theory]
    [InlineData("backup /srv/b --pace 0", "got '0'")]
    [InlineData("backup /srv/b --pace -1", "got '-1'")]
    [InlineData("backup /srv/b --pace", "got ''")]
    [InlineData("export /srv/b --pace 50", "unknown option '--pace'")]
    public void A_bad_pace_or_a_pace_elsewhere_is_a_usage_error(string args, string says)
    {
        CommandLine.Parse(args.Split(' '), out var error).Should().BeNull();
        error.Should().Contain(says);
    }
}
