using System.Diagnostics;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// The lease's two sides of a commit: this node records in the database each serial it has taken in, and a writer on
/// this node waits, before its answer, until every other node holding a lease has recorded the writer's serial.
/// </summary>
public sealed partial class NodeLease
{
    /// <summary>Another node acknowledged a serial: waiting writers look again.</summary>
    public void AcknowledgementArrived() => Interlocked.Exchange(ref _ackArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// This node has taken in every commit up to <paramref name="serial"/>: records it in the database (coalesced: while
    /// one acknowledgement is on its way, only the newest serial asked for meanwhile follows it). Does not wait.
    /// </summary>
    public void Acknowledge(long serial)
    {
        if (_leases is null)
        {
            return;
        }
        long want;
        while ((want = Volatile.Read(ref _wantAck)) < serial)
        {
            if (Interlocked.CompareExchange(ref _wantAck, serial, want) == want)
            {
                break;
            }
        }
        if (serial > Volatile.Read(ref _acked) && Interlocked.CompareExchange(ref _acking, 1, 0) == 0)
        {
            _ = Task.Run(AcknowledgeLoopAsync);
        }
    }

    private async Task AcknowledgeLoopAsync()
    {
        while (true)
        {
            var serial = Volatile.Read(ref _wantAck);
            if (serial > Volatile.Read(ref _acked))
            {
                try
                {
                    await AcknowledgeNowAsync(serial, CancellationToken.None).ConfigureAwait(false);
                }
                catch (StorageUnavailableException e)
                {
                    // The next renewal acknowledges again; if that fails too, the lease ends.
                    logger.LogDebug("Cannot acknowledge serial {Serial}: {Reason}", serial, e.Message);
                    Volatile.Write(ref _acking, 0);
                    return;
                }
            }
            Volatile.Write(ref _acking, 0);
            if (Volatile.Read(ref _wantAck) <= Volatile.Read(ref _acked) || Interlocked.CompareExchange(ref _acking, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task AcknowledgeNowAsync(long serial, CancellationToken cancellationToken)
    {
        await _leases!.AcknowledgeAsync(Id, serial, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (serial > _acked)
            {
                _acked = serial;
            }
            // Behind only on announcements newer than what is acknowledged, counted from now.
            _behindSince = _announced > _acked ? Stopwatch.GetTimestamp() : 0;
        }
    }

    /// <summary>
    /// After a commit of <paramref name="serial"/> on a shared database and before its answer: waits until every other
    /// node holding a lease has taken it in, or its lease has ended. When the database cannot say, waits
    /// <see cref="UnknownWait"/> (every lease not renewed meanwhile has ended by then) and goes on. Never throws.
    /// </summary>
    public async Task WaitForOtherNodesAsync(long serial)
    {
        if (_leases is null || serial <= 0)
        {
            return;
        }
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var woken = Volatile.Read(ref _ackArrived).Task;
            TimeSpan wait;
            try
            {
                var (lagging, firstEnds) = await _leases.LaggingNodesAsync(Id, serial, CancellationToken.None).ConfigureAwait(false);
                if (lagging == 0)
                {
                    break;
                }
                // Woken by an acknowledgement; else looks again when the first lagging lease ends (or soon, if deaf).
                var poll = Volatile.Read(ref _inSyncUntil) != 0 ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromMilliseconds(20);
                wait = firstEnds + TimeSpan.FromMilliseconds(5) < poll ? firstEnds + TimeSpan.FromMilliseconds(5) : poll;
            }
            catch (StorageUnavailableException e)
            {
                if (Stopwatch.GetElapsedTime(start) > UnknownWait)
                {
                    logger.LogWarning("Answering the write of serial {Serial} without knowing whether every node took it in: {Reason}", serial, e.Message);
                    break;
                }
                wait = TimeSpan.FromMilliseconds(100);
            }
            try
            {
                await woken.WaitAsync(wait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // look again
            }
        }
        metrics.AcknowledgementWait.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
