using System.Diagnostics;
using System.Globalization;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// Times the start-up phases against the process's own start, so the runtime's start before <c>Main</c> counts too
/// (the aim is process start to first answer). Storage opens on a second track while the host is composed, so
/// each track's phases are timed from that track's previous mark. Logged at Debug once the server listens.
/// </summary>
public sealed class StartupPhases
{
    public const string StorageTrack = "storage";
    private const string MainTrack = "";
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly TimeSpan _beforeOrigin;
    private readonly List<(string Track, string Phase, TimeSpan At)> _marks = [];
    private readonly Dictionary<string, TimeSpan> _trackStarts = new(StringComparer.Ordinal) { [MainTrack] = TimeSpan.Zero };

    public StartupPhases()
    {
        using var self = Process.GetCurrentProcess();
        _beforeOrigin = DateTime.Now - self.StartTime;
        _marks.Add((MainTrack, "runtime start to Main", _beforeOrigin));
    }

    /// <summary>Time since the process started.</summary>
    public TimeSpan Elapsed => _beforeOrigin + Stopwatch.GetElapsedTime(_origin);

    /// <summary>Notes that <paramref name="track"/> starts now, so its first phase is timed from here.</summary>
    public void StartTrack(string track)
    {
        lock (_marks)
        {
            _trackStarts[track] = Elapsed;
        }
    }

    /// <summary>Records that <paramref name="phase"/> of <paramref name="track"/> (default: the main one) has just finished.</summary>
    public void Mark(string phase, string track = MainTrack)
    {
        lock (_marks)
        {
            _marks.Add((track, phase, Elapsed));
        }
    }

    /// <summary>"phase 12 ms, storage: phase 30 ms, …": each phase's own duration, in the order the phases finished.</summary>
    public string Describe()
    {
        lock (_marks)
        {
            var previous = new Dictionary<string, TimeSpan>(_trackStarts, StringComparer.Ordinal);
            var parts = new List<string>(_marks.Count);
            foreach (var (track, phase, at) in _marks)
            {
                var label = track.Length == 0 ? phase : $"{track}: {phase}";
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{label} {(at - previous.GetValueOrDefault(track)).TotalMilliseconds:F0} ms"));
                previous[track] = at;
            }
            return string.Join(", ", parts);
        }
    }
}
