using Wheelhouse.Server.Transfer;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>Where a transfer's time went: each phase ends where the next starts, with its wall and CPU time.</summary>
public sealed class PhaseClockTests
{
    [Fact]
    public void Each_phase_is_timed_from_its_start_to_the_next_in_order_and_the_summary_names_them_all()
    {
        var clock = new PhaseClock();
        clock.Start("sleeping");
        Thread.Sleep(120);
        clock.Start("spinning");
        var until = DateTime.UtcNow.AddMilliseconds(120);
        var spins = 0L;
        while (DateTime.UtcNow < until)
        {
            spins++;
        }
        clock.Stop();
        clock.Stop(); // a second stop adds nothing

        var phases = clock.Phases;
        phases.Select(p => p.Name).Should().Equal("sleeping", "spinning");
        phases[0].Wall.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100));
        phases[1].Wall.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100));
        phases[1].Cpu.Should().BeGreaterThan(phases[0].Cpu, $"a busy loop ({spins} turns) uses the CPU a sleep does not");
        clock.Summary().Should().MatchRegex(@"^sleeping \d+\.\d\d s \(CPU \d+\.\d\d s\), spinning \d+\.\d\d s \(CPU \d+\.\d\d s\)$");
    }
}
