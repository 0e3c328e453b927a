using System.Diagnostics;
using Wheelhouse.Server.Hosting;
using Wheelhouse.Server.Simple;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Metrics;

/// <summary>
/// Brings the values other parts already keep (the serial, the page cache's counts, the data size) into
/// <see cref="ServerMetrics"/> when Prometheus scrapes. The data size is a pass over the rows' sha256 index (about a
/// second at 1,000,000 files), so it is measured in the background at most once per <see cref="DataSizeInterval"/>,
/// only when the serial moved since, and a scrape reports the last measurement.
/// </summary>
public sealed class MetricsCollection(ServerMetrics metrics, PackageStore store, RenderedPageCache pages, NodeLease lease, ILogger<MetricsCollection> logger)
{
    public static readonly TimeSpan DataSizeInterval = TimeSpan.FromMinutes(5);

    private long _nextMeasurement;
    private int _measuring;
    private long _measuredAt = -1;

    /// <summary>Registers the scrape-time callback.</summary>
    public void Start() => metrics.Registry.AddBeforeCollectCallback(Collect);

    /// <summary>Takes the current values (also for tests).</summary>
    public void Collect()
    {
        metrics.Serial.Set(store.Serial);
        metrics.PageCacheHits.IncTo(pages.Hits);
        metrics.PageCacheMisses.IncTo(pages.Misses);
        metrics.PageCacheBytes.Set(pages.Bytes);
        if (lease.Shared)
        {
            metrics.InSync.Set(lease.InSync ? 1 : 0);
        }
        if (Stopwatch.GetTimestamp() >= Volatile.Read(ref _nextMeasurement) && Interlocked.CompareExchange(ref _measuring, 1, 0) == 0)
        {
            _ = Task.Run(MeasureDataSize);
        }
    }

    /// <summary>Sets <c>wheelhouse_blobs</c> and <c>wheelhouse_blob_bytes</c> from the rows, unless nothing was committed since the last time.</summary>
    internal void MeasureDataSize()
    {
        try
        {
            var serial = store.Serial;
            if (serial != Volatile.Read(ref _measuredAt))
            {
                using var reader = store.Read();
                var (count, bytes) = reader.BlobTotals();
                metrics.Blobs.Set(count);
                metrics.BlobBytes.Set(bytes);
                Volatile.Write(ref _measuredAt, serial);
            }
        }
        catch (StorageUnavailableException e)
        {
            logger.LogWarning("Cannot measure the data size for wheelhouse_blob_bytes: {Reason}", e.Message);
        }
        finally
        {
            Volatile.Write(ref _nextMeasurement, Stopwatch.GetTimestamp() + (long)(DataSizeInterval.TotalSeconds * Stopwatch.Frequency));
            Volatile.Write(ref _measuring, 0);
        }
    }
}
