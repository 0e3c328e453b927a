using System.Diagnostics;
using System.Globalization;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// Where a long transfer's time went, phase by phase (wall time and the process's CPU time), printed at its end so
/// that an operator, and bench/transfer, can tell a disk-bound run from one held up elsewhere. Thread-safe.
/// </summary>
/// <param name="wall">The wall clock; a stopwatch started with the clock unless given (tests give their own).</param>
/// <param name="cpu">The process's CPU time so far; <see cref="Environment.CpuUsage"/> unless given.</param>
public sealed class PhaseClock(Func<TimeSpan>? wall = null, Func<TimeSpan>? cpu = null)
{
    private readonly Lock _lock = new();
    private readonly List<(string Name, TimeSpan Wall, TimeSpan Cpu)> _done = [];
    private readonly Func<TimeSpan> _wall = wall ?? Elapsed(Stopwatch.StartNew());
    private readonly Func<TimeSpan> _cpu = cpu ?? (() => Environment.CpuUsage.TotalTime);
    private string? _current;
    private TimeSpan _wallAtStart;
    private TimeSpan _cpuAtStart;

    private static Func<TimeSpan> Elapsed(Stopwatch watch) => () => watch.Elapsed;

    /// <summary>Ends the phase running (if any) and starts <paramref name="name"/>.</summary>
    public void Start(string name)
    {
        lock (_lock)
        {
            EndCurrent();
            _current = name;
            _wallAtStart = _wall();
            _cpuAtStart = _cpu();
        }
    }

    /// <summary>Ends the phase running, if any.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            EndCurrent();
        }
    }

    public IReadOnlyList<(string Name, TimeSpan Wall, TimeSpan Cpu)> Phases
    {
        get
        {
            lock (_lock)
            {
                return [.. _done];
            }
        }
    }

    /// <summary>One line: each phase's wall time and CPU time (user and system, all threads), in order.</summary>
    public string Summary()
    {
        var phases = Phases;
        static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
        return string.Join(", ", phases.Select(p => $"{p.Name} {S(p.Wall)} (CPU {S(p.Cpu)})"));
    }

    private void EndCurrent()
    {
        if (_current is not null)
        {
            _done.Add((_current, _wall() - _wallAtStart, _cpu() - _cpuAtStart));
            _current = null;
        }
    }
}
