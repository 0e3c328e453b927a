namespace Wheelhouse.Server.Transfer;

/// <summary>
/// Keeps a backup beside a serving server to a share of the time, its duty cycle: after each short slice of work
/// (<see cref="Slice"/>) it rests long enough that work is at most <see cref="Percent"/> % of the wall time. Even in
/// the idle CPU and I/O classes a backup that never rests costs the server: the kernel's share of its work (the
/// file system's journal, writeback) runs at normal priority, and on a virtual machine a busy core slows its sibling.
/// A duty cycle adapts to the machine: the slower the work (a loaded CPU, a slow disk), the longer the rests.
/// </summary>
public sealed class Pacer
{
    /// <summary>No rests: an offline backup, or one that must finish as fast as it can.</summary>
    public const int FullSpeed = 100;

    /// <summary>
    /// A live server's default: a tenth of the time. bench/transfer measured back-to-back backups at full speed (in the
    /// idle CPU and I/O classes) adding 9–15 % to page p50 and 35–41 % to p99. A backup's process start, its snapshot
    /// and its final sync are not paced, so a paced backup's load falls by less than its pace; a tenth leaves the
    /// margin a fifth would not, and a backup of 10,000 hard links still takes seconds (a million, minutes).
    /// </summary>
    public const int DefaultPercent = 10;

    /// <summary>How long the work goes on before a rest: short, so the server never sees a long burst.</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, CancellationToken, Task> _sleep;
    private long _sliceStart;

    /// <param name="percent">The duty cycle, 1 to 100 (<see cref="Parse"/> checks a user's).</param>
    /// <param name="time">The clock (a test's fake one); the system's by default.</param>
    /// <param name="sleep">How to rest (a test's fake advances its clock); Task.Delay by default.</param>
    public Pacer(int percent, TimeProvider? time = null, Func<TimeSpan, CancellationToken, Task>? sleep = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, FullSpeed);
        Percent = percent;
        _time = time ?? TimeProvider.System;
        _sleep = sleep ?? ((rest, ct) => Task.Delay(rest, ct));
        _sliceStart = _time.GetTimestamp();
    }

    /// <summary>The most of the wall time the work may take, in percent.</summary>
    public int Percent { get; }

    /// <summary>How long it has rested in all.</summary>
    public TimeSpan Rested { get; private set; }

    /// <summary>How many times it has rested.</summary>
    public int Rests { get; private set; }

    /// <summary>
    /// Reads a duty cycle as a user gives it (<c>--pace</c>): a whole number of percent from 1 to 100, with or
    /// without a '%'; null with the reason otherwise.
    /// </summary>
    public static int? Parse(string value, out string? error)
    {
        error = null;
        var digits = value.EndsWith('%') ? value[..^1] : value;
        if (!int.TryParse(digits, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var percent)
            || percent is < 1 or > FullSpeed)
        {
            error = $"--pace takes the share of the time the backup may work, a whole percent from 1 to {FullSpeed} (got '{value}'); "
                + $"{FullSpeed} is full speed, the default {DefaultPercent} suits a live server";
            return null;
        }
        return percent;
    }

    /// <summary>Call after each unit of work: rests when the current slice is used up; returns at once otherwise.</summary>
    public Task StepAsync(CancellationToken ct)
    {
        if (Percent >= FullSpeed)
        {
            return Task.CompletedTask;
        }
        var busy = _time.GetElapsedTime(_sliceStart);
        return busy < Slice ? Task.CompletedTask : RestAsync(busy * (FullSpeed - Percent) / Percent, ct);
    }

    private async Task RestAsync(TimeSpan rest, CancellationToken ct)
    {
        Rested += rest;
        Rests++;
        await _sleep(rest, ct).ConfigureAwait(false);
        _sliceStart = _time.GetTimestamp();
    }
}
