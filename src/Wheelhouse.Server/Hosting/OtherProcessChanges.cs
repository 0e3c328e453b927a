using System.Diagnostics;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// Lets a running server take in what other processes committed to its database without a restart: another node
/// sharing a PostgreSQL database, or <c>wheelhouse-server layout apply</c> run beside it on SQLite. Taking in means:
/// under the write lock, reload users and indexes (which retires every rendered simple page: they are tied to the
/// known snapshot and serial they were built from) and adopt the stored serial.
/// <para>
/// On SQLite, at most once per <see cref="Interval"/> the first request to arrive compares the stored serial with this
/// process's (one indexed read) and takes in what is new before it goes on; other requests meanwhile go on with the
/// snapshot they had.
/// </para>
/// <para>
/// On a shared database (<see cref="PackageStore.CommitNotifications"/>) read-your-writes across nodes is kept by the
/// writers: every answered write waits, before its answer, until the other live nodes have taken its commit in
/// (<see cref="NodeLease"/>; the wait is registered here, for every request but GET and HEAD, so it covers whatever
/// endpoint commits).
/// While this node is <see cref="NodeLease.InSync"/> its requests go straight on. Otherwise (not yet registered, its
/// announcements or lease lost, the database away) every request waits for a check that began after it arrived
/// (<see cref="ReadBarrierAsync"/>), so a page never predates a commit another node acknowledged before the request was
/// sent. Checks are shared: however many requests arrive while
/// one runs, one more follows it for all of them. A check is one prepared query on a connection kept for it
/// (<see cref="ICommitNotifications.StoredSerialAsync"/>): bench/scale measured the barrier at about half the CPU time of
/// a cached page while each check was a read transaction on a pooled connection. <see cref="CommitListener"/> starts
/// checks as soon as a commit is
/// announced, so the reload is usually done before a request needs it. When the database cannot be reached, requests
/// go on with what is in memory (cached pages keep being served) and only one check at a time waits for the database.
/// </para>
/// </summary>
public sealed class OtherProcessChanges(PackageStore store, UsersAndIndexes known, NodeLease lease, ServerMetrics metrics, ILogger<OtherProcessChanges> logger)
{
    /// <summary>
    /// Short enough that anything a person or a script does after an apply (it takes longer than this to run) sees the
    /// change; long enough that a busy server checks a few times a second, not per request.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a request waits for its check on a shared database before it goes on with what is in memory, and how
    /// long after a failed check requests do not wait at all (the database is away; the next check tries again).
    /// </summary>
    public static readonly TimeSpan UnavailableWait = TimeSpan.FromSeconds(1);

    private static readonly long IntervalTicks = (long)(Interval.TotalSeconds * Stopwatch.Frequency);
    private readonly Lock _gate = new();
    private TaskCompletionSource? _running;
    private TaskCompletionSource? _next;
    private long _unavailableUntil;
    private int _unavailable;
    private long _nextCheck;
    private int _checking;

    /// <summary>True when other nodes share the database (writes wait for them, reads for a check unless in sync; see the class comment).</summary>
    public bool Shared { get; } = store.CommitNotifications is not null;

    private readonly Func<object, Task> _beforeAnswer = flow => lease.WaitForOtherNodesAsync(((CommitsInFlow)flow).LastSerial);

    /// <summary>The middleware: a due check runs before the request; otherwise it costs one timestamp.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Shared)
        {
            if (lease.Shared && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                // Before the answer's first byte (whatever endpoint answers): a write waits for the other nodes. GET and
                // HEAD acknowledge no write (what a mirror stores while answering one is a cache, committed off the
                // request), so they skip the flow and the callback: a few microseconds of a cached page's twenty.
                context.Response.OnStarting(_beforeAnswer, CommitsInFlow.Begin());
            }
            if (lease.InSync)
            {
                return next(context);
            }
            metrics.ReadBarrierWaits.Inc();
            var barrier = ReadBarrierAsync();
            return barrier.IsCompleted ? next(context) : AfterAsync(barrier, context, next);
        }
        if (Stopwatch.GetTimestamp() < Volatile.Read(ref _nextCheck) || Interlocked.CompareExchange(ref _checking, 1, 0) != 0)
        {
            return next(context);
        }
        return CheckThenAsync(context, next);
    }

    private static async Task AfterAsync(Task barrier, HttpContext context, RequestDelegate next)
    {
        await barrier;
        await next(context);
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

    /// <summary>
    /// Completes once a check that began after this call has taken in every commit stored by then, or at once while
    /// the database is known to be away, or after <see cref="UnavailableWait"/> if the check takes longer. Never throws.
    /// </summary>
    public Task ReadBarrierAsync() =>
        Stopwatch.GetTimestamp() < Volatile.Read(ref _unavailableUntil) ? Task.CompletedTask : WithinAsync(JoinRound(waitForNext: true));

    private async Task WithinAsync(Task wait)
    {
        try
        {
            await wait.WaitAsync(UnavailableWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Unavailable("the check of the stored serial took longer than " + UnavailableWait.TotalSeconds + " s");
        }
    }

    /// <summary>Starts a check unless one runs (a commit was announced, or the periodic fallback); does not wait for it.</summary>
    public void Nudge() => _ = JoinRound(waitForNext: false);

    /// <summary>
    /// Starts a round of checks unless one runs, and returns the check a caller is covered by: the one started, or
    /// with <paramref name="waitForNext"/> the one after the running check (which may have read the serial already).
    /// </summary>
    private Task JoinRound(bool waitForNext)
    {
        TaskCompletionSource? start = null;
        Task covering;
        lock (_gate)
        {
            if (_running is null)
            {
                _running = start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                covering = start.Task;
            }
            else
            {
                covering = waitForNext ? (_next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : _running.Task;
            }
        }
        if (start is not null)
        {
            _ = Task.Run(() => RoundsAsync(start));
        }
        return covering;
    }

    /// <summary>Runs checks back to back while requests keep arriving during them; each completes its waiters.</summary>
    private async Task RoundsAsync(TaskCompletionSource? round)
    {
        while (round is not null)
        {
            try
            {
                await CatchUpAsync(CancellationToken.None).ConfigureAwait(false);
                lease.Acknowledge(store.Serial);
                if (Interlocked.Exchange(ref _unavailable, 0) == 1)
                {
                    logger.LogInformation("The metadata database answers again; serving with serial {Serial}", store.Serial);
                }
                Volatile.Write(ref _unavailableUntil, 0);
            }
            catch (Exception e) when (e is StorageUnavailableException or IOException or TimeoutException)
            {
                Unavailable(e.Message);
            }
#pragma warning disable CA1031 // a bug here must not leave every later request waiting for a check that never ends
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Checking the metadata database for other nodes' commits failed");
                Unavailable(e.Message);
            }
            round.TrySetResult();
            lock (_gate)
            {
                _running = round = _next;
                _next = null;
            }
        }
    }

    private void Unavailable(string reason)
    {
        Volatile.Write(ref _unavailableUntil, Stopwatch.GetTimestamp() + (long)(UnavailableWait.TotalSeconds * Stopwatch.Frequency));
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            logger.LogWarning("Cannot check the metadata database for other nodes' commits ({Reason}); serving what is in memory until it answers", reason);
        }
    }

    private long StoredSerial()
    {
        using var reader = store.Read();
        return reader.StoredSerial();
    }

    /// <summary>Takes in other processes' commits now; true when there were any.</summary>
    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        // On a shared database this runs before every batch of requests: one round trip on a connection of its own.
        var stored = store.CommitNotifications is { } shared ? await shared.StoredSerialAsync(cancellationToken).ConfigureAwait(false) : StoredSerial();
        if (stored <= store.Serial && !store.OtherProcessCommitsPending)
        {
            return false;
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
        metrics.OtherNodeCommits.Inc();
        var level = Shared ? LogLevel.Debug : LogLevel.Information; // on a shared database this is every other node's commit
        logger.Log(level, "Took in changes another process committed to the database (serial {Before} to {After}): users, indexes and simple pages reloaded",
            before, store.Serial);
        return true;
    }
}
