using System.Diagnostics;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// Removes the blobs no row references (what a crash between a write's publication and its commit leaves) once the
/// server runs, rather than before it listens: the walk over every blob grows with the data, and start-up must not.
/// Storage does it shard by shard under the write lock (<see cref="PackageStore.CollectUnreferencedBlobsAsync"/>), so it
/// is safe beside requests and holds one shard's hashes at a time. Unfinished temp files are removed before serving
/// (<see cref="PackageStore.RemoveUnfinishedBlobs"/>), since those are few and uploads write there.
/// </summary>
public sealed class BlobCollection(PackageStore store, ILogger<BlobCollection> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // never on the start-up path
        var clock = Stopwatch.StartNew();
        try
        {
            var removed = await store.CollectUnreferencedBlobsAsync(stoppingToken);
            logger.LogInformation("blob collection: {Removed} blobs no row references removed in {Milliseconds:F0} ms", removed, clock.Elapsed.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the next start collects again.
        }
        catch (Exception e) when (e is StorageUnavailableException or IOException or UnauthorizedAccessException)
        {
            // Unreferenced blobs cost space, never correctness: serving goes on, and the next start collects again.
            logger.LogWarning("blob collection stopped: {Reason}; unreferenced blobs stay until the next start", e.Message);
        }
    }
}
