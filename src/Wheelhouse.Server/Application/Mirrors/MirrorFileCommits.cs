using System.Collections.Concurrent;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Mirrors;

/// <summary>
/// Group commit of mirrored files. A mirror answers pip as soon as a file is hash-checked and sent and stores it after
/// (<see cref="Wheelhouse.Server.Mirrors.MirrorFileFetcher"/>), and pip asks for the next page and file at once: files
/// come in a few milliseconds apart. A unit of work each cost a database commit, a served-tree journal entry and an
/// in-step marker per file; here the files that come within <see cref="Linger"/> of the first one waiting share one
/// unit of work (at most <see cref="MaxBatch"/>), whose crash-safe order covers them all. A batch that fails is tried
/// again file by file, so one bad file fails alone. Callers (a second request for the file, <c>fill</c>, a pre-fetch)
/// wait for the commit as before; only the client the file was sent to does not. A caller that waits says so
/// (<see cref="Hurry"/>): the linger ends then, because lingering only pays while nobody waits.
/// </summary>
public sealed class MirrorFileCommits(PackageStore store, ILogger<MirrorFileCommits> logger) : IDisposable
{
    /// <summary>How long the host's stop waits for the files still queued.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultLinger = TimeSpan.FromMilliseconds(100);
    public const int MaxBatch = 64;

    private readonly ConcurrentQueue<Entry> _waiting = new();
    private int _running;
    // Set by a caller that waits for a commit; the next (or current) linger ends at once and takes it.
    private TaskCompletionSource _hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long the first file of a batch waits for others (zero: no waiting, only what is queued meanwhile).</summary>
    public TimeSpan Linger { get; init; } = DefaultLinger;

    /// <summary>How many units of work committed mirrored files so far (for tests and diagnostics).</summary>
    public int Batches => Volatile.Read(ref _batches);

    private int _batches;

    /// <summary>
    /// Records one file: <paramref name="add"/> puts its rows and blob into the unit of work it is given, or returns
    /// false when it has nothing to add (the file is stored already). Completes once that unit of work is committed;
    /// faults with the reason when this file's own commit failed.
    /// </summary>
    public Task CommitAsync(Func<UnitOfWork, bool> add)
    {
        var entry = new Entry(add, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _waiting.Enqueue(entry);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(RunAsync);
        }
        return entry.Done.Task;
    }

    /// <summary>
    /// Someone waits for a file being stored (joined its download, or needs it committed before it goes on): the batch
    /// lingering now, or the next one if none is, commits without waiting for more.
    /// </summary>
    public void Hurry() => Volatile.Read(ref _hurry).TrySetResult();

    /// <summary>At the host's stop (before the store closes): commits what is queued, waiting at most <see cref="StopWait"/>.</summary>
    public void Dispose() => HostStop.WaitFor(() => Volatile.Read(ref _running) == 0 && _waiting.IsEmpty, StopWait);

    private async Task RunAsync()
    {
        while (true)
        {
            var hurry = Volatile.Read(ref _hurry);
            if (Linger > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(Linger), hurry.Task).ConfigureAwait(false);
            }
            var batch = new List<Entry>();
            while (batch.Count < MaxBatch && _waiting.TryDequeue(out var entry))
            {
                batch.Add(entry);
            }
            if (batch.Count > 0)
            {
                if (hurry.Task.IsCompleted)
                {
                    // Taken by this batch; a hurry with nothing queued waits for the file it is meant for.
                    Interlocked.CompareExchange(ref _hurry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), hurry);
                }
                await CommitAsync(batch).ConfigureAwait(false);
                continue; // more may have come meanwhile: they wait their linger too
            }
            Volatile.Write(ref _running, 0);
            // A file queued between the last look and the reset saw this loop running and started none: take it.
            if (_waiting.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private async Task CommitAsync(List<Entry> batch)
    {
        try
        {
            await CommitTogetherAsync(batch).ConfigureAwait(false);
            foreach (var entry in batch)
            {
                entry.Done.TrySetResult();
            }
            return;
        }
        catch (Exception e) when (batch.Count > 1)
        {
            logger.LogWarning(e, "Committing {Count} mirrored files together failed; committing them one by one", batch.Count);
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
            return;
        }
        foreach (var entry in batch)
        {
            try
            {
                await CommitTogetherAsync([entry]).ConfigureAwait(false);
                entry.Done.TrySetResult();
            }
            catch (Exception e)
            {
                entry.Done.TrySetException(e);
            }
        }
    }

    private async Task CommitTogetherAsync(IReadOnlyList<Entry> batch)
    {
        using var work = await store.BeginAsync().ConfigureAwait(false);
        var added = 0;
        foreach (var entry in batch)
        {
            added += entry.Add(work) ? 1 : 0;
        }
        if (added > 0)
        {
            work.Commit();
            Interlocked.Increment(ref _batches);
        }
    }

    private sealed record Entry(Func<UnitOfWork, bool> Add, TaskCompletionSource Done);
}
