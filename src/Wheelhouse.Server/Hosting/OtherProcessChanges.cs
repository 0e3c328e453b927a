using System.Diagnostics;
using Wheelhouse.Server.Application;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// Lets a running server take in what another process committed to its database (<c>wheelhouse-server layout apply</c>
/// run beside it) without a restart. At most once per <see cref="Interval"/>, the first request to arrive compares the
/// stored serial with this process's (one indexed read); when another process is ahead, or one of our commits skipped
/// past its serials, that request takes the write lock, reloads users and indexes (which retires every rendered simple
/// page: they are tied to the known snapshot and serial they were built from) and adopts the serial before it goes
/// on, so it already sees the change. Other requests meanwhile go on with the snapshot they had.
/// </summary>
public sealed class OtherProcessChanges(PackageStore store, UsersAndIndexes known, ILogger<OtherProcessChanges> logger)
{
    /// <summary>
    /// Short enough that anything a person or a script does after an apply (it takes longer than this to run) sees the
    /// change; long enough that a busy server checks a few times a second, not per request.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static readonly long IntervalTicks = (long)(Interval.TotalSeconds * Stopwatch.Frequency);
    private long _nextCheck;
    private int _checking;

    /// <summary>The middleware: a due check runs before the request; otherwise it costs one timestamp.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _nextCheck) || Interlocked.CompareExchange(ref _checking, 1, 0) != 0)
        {
            return next(context);
        }
        return CheckThenAsync(context, next);
    }

    private async Task CheckThenAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await CatchUpAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is StorageUnavailableException or IOException)
        {
            // The request is still answerable from what is in memory; the next check tries again.
            logger.LogWarning("Cannot check the database for changes by other processes: {Reason}", e.Message);
        }
        finally
        {
            Volatile.Write(ref _nextCheck, Stopwatch.GetTimestamp() + IntervalTicks);
            Volatile.Write(ref _checking, 0);
        }
        await next(context);
    }

    /// <summary>Takes in other processes' commits now; true when there were any.</summary>
    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        using (var reader = store.Read())
        {
            if (reader.StoredSerial() <= store.Serial && !store.OtherProcessCommitsPending)
            {
                return false;
            }
        }
        var before = store.Serial;
        using var work = await store.BeginAsync(cancellationToken);
        // Under the write lock no request of ours commits, so the known cannot be overwritten by an older snapshot.
        if (work.Rows.StoredSerial() <= store.Serial && !store.OtherProcessCommitsPending)
        {
            return false; // it was one of our own commits, seen between its write and its bookkeeping
        }
        // Directory first, serial second: a request that sees the new serial (and renders a page stamped with it) also
        // sees the new indexes.
        known.Refresh(work.Rows);
        work.AdoptOtherProcessesSerial();
        logger.LogInformation("Took in changes another process committed to the database (serial {Before} to {After}): users, indexes and simple pages reloaded",
            before, store.Serial);
        return true;
    }
}
