using System.Globalization;
using System.Text.RegularExpressions;
using Wheelhouse.Server.Hosting;

namespace Wheelhouse.Server.Tests.Hosting;

public class StartupPhasesTests
{
    [Fact]
    public void Describes_each_phase_in_the_order_it_finished_with_its_track()
    {
        var phases = new StartupPhases();
        phases.StartTrack(StartupPhases.StorageTrack);
        phases.Mark("host builder");
        phases.Mark("database open", StartupPhases.StorageTrack);
        phases.Mark("listening");

        var parts = phases.Describe().Split(", ");

        parts.Select(p => Regex.Replace(p, @" -?\d+ ms$", "")).Should().Equal(
            "runtime start to Main", "host builder", "storage: database open", "listening");
        parts.Should().AllSatisfy(p => p.Should().MatchRegex(@" \d+ ms$", "no phase can take negative time"));
    }

    [Fact]
    public void A_side_track_is_timed_from_its_own_start_not_from_the_main_tracks_last_mark()
    {
        var phases = new StartupPhases();
        phases.Mark("configuration");
        var trackStart = phases.Elapsed;
        phases.StartTrack(StartupPhases.StorageTrack);
        phases.Mark("database open", StartupPhases.StorageTrack);
        var end = phases.Elapsed;

        var storage = phases.Describe().Split(", ").Single(p => p.StartsWith("storage: ", StringComparison.Ordinal));
        var ms = double.Parse(Regex.Match(storage, @"(\d+) ms$").Groups[1].Value, CultureInfo.InvariantCulture);

        ms.Should().BeLessThanOrEqualTo(Math.Ceiling((end - trackStart).TotalMilliseconds) + 1);
    }

    [Fact]
    public void Elapsed_counts_from_the_process_start_so_it_includes_the_runtimes_own_start()
    {
        var phases = new StartupPhases();

        var processAge = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;

        phases.Elapsed.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(processAge + TimeSpan.FromSeconds(1));
        phases.Describe().Should().StartWith("runtime start to Main ");
    }
}
