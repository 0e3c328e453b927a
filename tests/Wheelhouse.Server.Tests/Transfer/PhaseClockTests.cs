using Wheelhouse.Server.Transfer;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>
/// Where a transfer's time went: each phase ends where the next starts, with its wall and CPU time. On clocks the test
/// moves: the process's CPU time counts every thread, and other tests run beside this one.
/// </summary>
public sealed class PhaseClockTests
{
    private TimeSpan _wall;
    private TimeSpan _cpu;

    [Fact]
    public void Each_phase_is_timed_from_its_start_to_the_next_in_order_and_the_summary_names_them_all()
    {
        var clock = new PhaseClock(() => _wall, () => _cpu);
        (_wall, _cpu) = (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)); // before the first phase: not counted
        clock.Start("reading");
        (_wall, _cpu) = (_wall + TimeSpan.FromSeconds(2), _cpu + TimeSpan.FromMilliseconds(50));
        clock.Start("copying");
        (_wall, _cpu) = (_wall + TimeSpan.FromSeconds(3), _cpu + TimeSpan.FromSeconds(2.5));
        clock.Stop();
        _wall += TimeSpan.FromSeconds(7);
        clock.Stop(); // a second stop adds nothing

        clock.Phases.Should().Equal(
            ("reading", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50)),
            ("copying", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2.5)));
        clock.Summary().Should().Be("reading 2.00 s (CPU 0.05 s), copying 3.00 s (CPU 2.50 s)");
    }

    [Fact]
    public void By_default_it_reads_the_wall_clock_and_the_processs_cpu_time()
    {
        var clock = new PhaseClock();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        clock.Start("sleeping");
        Thread.Sleep(120);
        clock.Stop();
        var cpuSpent = Environment.CpuUsage.TotalTime - cpuBefore;

        var (name, wall, cpu) = clock.Phases.Single();
        name.Should().Be("sleeping");
        wall.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100));
        cpu.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThanOrEqualTo(cpuSpent, "the phase's CPU time is the process's, read within it");
    }
}
