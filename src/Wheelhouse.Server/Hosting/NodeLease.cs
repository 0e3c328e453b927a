using System.Diagnostics;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// On a shared database (PostgreSQL, several nodes), read-your-writes across nodes without a check per request: the
/// wait moves from every read to every write. Each node holds a lease in the database (<see cref="INodeLeases"/>,
/// valid for <see cref="Duration"/> from the database's time of each renewal) and records there the serial it has taken
/// in; a writer, after its commit and before its answer, waits (<see cref="WaitForOtherNodesAsync"/>) until every other
/// node with a valid lease has taken that serial in, or its lease has ended. A node is <see cref="InSync"/> while its
/// announcements connection listens and its lease is valid by its own monotonic clock, counted conservatively: from
/// when it SENT the renewal, for <see cref="Duration"/> less <see cref="Margin"/>, so its own count always ends before the
/// database's (which starts when the statement runs, after it was sent). Only while in sync does a node skip the read
/// barrier of <see cref="OtherProcessChanges"/>; otherwise (not yet registered, listening lost, renewals failing, the
/// database away, taking in stuck) every request waits for that barrier, as before.
/// <para>
/// Why nobody sees a page older than a commit they were told about: a client told of commit s at time a asks this node
/// at time r &gt; a, and the node finds itself in sync at some t ≥ r. The writer answered at a only after either (1) this
/// node recorded s as taken in, which it does after its reload, and memory only moves forward, so the page includes s;
/// or (2) this node's lease had ended in the database at some e ≤ a. In case (2) this node's local count ended before
/// e, so at t &gt; a ≥ e it can be in sync only through a renewal whose answer came after its count had ended: such a
/// renewal is never continuous, and the node first reads the stored serial again and takes it in (the renewal was not
/// yet committed when the writer looked, so this read comes after the writer's commit and includes s). A node paused
/// (SIGSTOP, a long GC) after it found itself in sync serves a page from memory that already held every commit
/// acknowledged before the request arrived; the pause only delays writers, at most by <see cref="Duration"/>, after which
/// its lease counts as ended and its own count (which kept running while it was stopped) has ended too, so on waking it
/// uses the barrier until a fresh renewal and reload. A renewal is only sent while the node listens and keeps up with
/// the announcements, so a node that no longer takes commits in stops holding writers within <see cref="Duration"/>.
/// </para>
/// <para>
/// A commit is visible on the writing node itself as soon as it is made, so a third client may see it there while its
/// writer still waits for the others; the promise is about commits a client was told of (answered writes).
/// </para>
/// </summary>
public sealed partial class NodeLease(PackageStore store, ServerMetrics metrics, ILogger<NodeLease> logger)
{
    /// <summary>
    /// How long a renewal holds: the most a node that stops answering (killed, paused, cut off) delays writes. Long
    /// enough that renewals every third of it survive a loaded machine's stalls without dropping to the barrier; short
    /// enough that a lost node delays uploads for a few seconds, not minutes.
    /// </summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(4);

    /// <summary>Renewals come this often, so one or two may be late without the lease ending.</summary>
    public static readonly TimeSpan RenewEvery = Duration / 3;

    /// <summary>
    /// Taken off this node's own count of its lease: room for the two clocks (this machine's monotonic one, the
    /// database's) to run at slightly different rates over <see cref="Duration"/>, with much to spare.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a writer retries when the database cannot say who lags: after that every lease it could not see has ended.</summary>
    private static readonly TimeSpan UnknownWait = Duration + Margin;

    private static readonly long ValidTicks = (long)((Duration - Margin).TotalSeconds * Stopwatch.Frequency);
    private static readonly long StuckTicks = (long)(RenewEvery.TotalSeconds * Stopwatch.Frequency);
    private readonly INodeLeases? _leases = store.CommitNotifications is null ? null : store.Metadata as INodeLeases;
    private readonly Lock _gate = new();
    private long _inSyncUntil;
    private int _counted;
    private bool _listening;
    private long _listenEpoch;
    private long _announced;
    private long _behindSince;
    private long _wantAck;
    private long _acked;
    private int _acking;
    private bool _unavailable;
    private TaskCompletionSource _ackArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _listeningAgain = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>This node's row in the lease table: unique per process, readable in the database.</summary>
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>True when other nodes may share the database: writes wait for them, readers may skip the barrier.</summary>
    public bool Shared => _leases is not null;

    /// <summary>
    /// True while this node's reads may skip the read barrier (see the class comment). One timestamp; the first look
    /// that finds the node out of sync after it was in sync counts the loss (<c>wheelhouse_node_sync_losses_total</c>).
    /// </summary>
    public bool InSync
    {
        get
        {
            if (Stopwatch.GetTimestamp() < Volatile.Read(ref _inSyncUntil))
            {
                return true;
            }
            CountLoss();
            return false;
        }
    }

    // A loss is counted where it is seen, whatever ended the sync (a lease not renewed in time, listening lost, taking
    // in stuck, the database away): by the first request or scrape that finds it, or else by the renewal that finds the
    // gap, when nobody looked in between.
    private void CountLoss()
    {
        if (Volatile.Read(ref _counted) == 1 && Interlocked.Exchange(ref _counted, 0) == 1)
        {
            metrics.SyncLosses.Inc();
        }
    }

    /// <summary>The announcements connection listens (commits after this are heard).</summary>
    public void Listening()
    {
        lock (_gate)
        {
            _listening = true;
        }
        // Registers (or renews) now rather than at the next tick: until then every request waits for the barrier.
        _listeningAgain.TrySetResult();
    }

    /// <summary>The announcements connection is lost: commits may go unheard, so not in sync until a fresh renewal and reload.</summary>
    public void ListeningLost()
    {
        lock (_gate)
        {
            _listening = false;
            _listenEpoch++;
            Volatile.Write(ref _inSyncUntil, 0);
        }
    }

    /// <summary>A commit was announced: while it is not taken in, this node is behind (renewals stop if it stays so).</summary>
    public void Announced(long serial)
    {
        lock (_gate)
        {
            if (serial > _announced)
            {
                _announced = serial;
            }
            if (serial > _acked && serial > store.Serial && _behindSince == 0)
            {
                _behindSince = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// Renews this node's lease every <see cref="RenewEvery"/> while it listens and keeps up, and keeps
    /// <see cref="InSync"/>; after a gap (first registration, a renewal answered after the local count ended) it first
    /// takes in the stored serial with <paramref name="catchUp"/>. Leaves the table when <paramref name="stoppingToken"/>
    /// is cancelled.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> catchUp, CancellationToken stoppingToken)
    {
        if (_leases is null)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var listeningAgain = (_listeningAgain = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            await RenewOnceAsync(catchUp, stoppingToken).ConfigureAwait(false);
            try
            {
                var tick = Task.Delay(RenewEvery, stoppingToken);
                await (Volatile.Read(ref _inSyncUntil) == 0 ? Task.WhenAny(tick, listeningAgain) : tick).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        Volatile.Write(ref _counted, 0); // leaving at the stop is not a loss
        Volatile.Write(ref _inSyncUntil, 0);
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _leases.LeaveAsync(Id, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageUnavailableException or OperationCanceledException)
        {
            logger.LogDebug("Could not leave the node table ({Reason}); the lease ends on its own", e.Message);
        }
    }

    private async Task RenewOnceAsync(Func<CancellationToken, Task> catchUp, CancellationToken stoppingToken)
    {
        long epoch;
        lock (_gate)
        {
            var stuck = _behindSince != 0 && Stopwatch.GetTimestamp() - _behindSince > StuckTicks;
            if (!_listening || stuck)
            {
                // Not renewing lets the lease end, so writers stop waiting for a node that does not take their commits in.
                Volatile.Write(ref _inSyncUntil, 0);
                return;
            }
            epoch = _listenEpoch;
        }
        var sent = Stopwatch.GetTimestamp();
        try
        {
            metrics.LiveNodes.Set(await _leases!.RenewLeaseAsync(Id, Duration, stoppingToken).ConfigureAwait(false));
            var gap = Stopwatch.GetTimestamp() >= Volatile.Read(ref _inSyncUntil);
            if (gap)
            {
                CountLoss();
                // A gap: writers may have skipped this node meanwhile. This read of the stored serial comes after the
                // renewal committed, so after any commit whose writer found this lease ended.
                await catchUp(stoppingToken).ConfigureAwait(false);
            }
            if (store.Serial > Volatile.Read(ref _acked) || gap)
            {
                await AcknowledgeNowAsync(store.Serial, stoppingToken).ConfigureAwait(false);
            }
            lock (_gate)
            {
                if (_listening && epoch == _listenEpoch)
                {
                    Volatile.Write(ref _inSyncUntil, sent + ValidTicks);
                    Volatile.Write(ref _counted, 1);
                }
            }
            if (_unavailable)
            {
                _unavailable = false;
                logger.LogInformation("Lease renewed again: reads on this node no longer wait for a check of the database");
            }
        }
        catch (Exception e) when (e is StorageUnavailableException or IOException or TimeoutException)
        {
            Volatile.Write(ref _inSyncUntil, 0);
            if (!_unavailable)
            {
                _unavailable = true;
                logger.LogWarning("Cannot renew this node's lease ({Reason}); each read checks the database until it can", e.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
