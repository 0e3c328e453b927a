using System.Diagnostics;
using Wheelhouse.Server.Simple;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Metrics;

/// <summary>
/// Brings the values other parts already keep (the serial, the page cache's counts, the data size) into
/// <see cref="ServerMetrics"/> when Prometheus scrapes. The data size walks the blob store, so it is measured in the
/// background at most once per <see cref="DataSizeInterval"/> and a scrape reports the last measurement.
/// </summary>
public sealed class MetricsCollection(ServerMetrics metrics, PackageStore store, RenderedPageCache pages, ILogger<MetricsCollection> logger)
{
    public static readonly TimeSpan DataSizeInterval = TimeSpan.FromMinutes(5);

    private long _nextMeasurement;
    private int _measuring;

    /// <summary>Registers the scrape-time callback.</summary>
    public void Start() => metrics.Registry.AddBeforeCollectCallback(Collect);

    /// <summary>Takes the current values (also for tests).</summary>
    public void Collect()
    {
        metrics.Serial.Set(store.Serial);
        metrics.PageCacheHits.IncTo(pages.Hits);
        metrics.PageCacheMisses.IncTo(pages.Misses);
        metrics.PageCacheBytes.Set(pages.Bytes);
        if (Stopwatch.GetTimestamp() >= Volatile.Read(ref _nextMeasurement) && Interlocked.CompareExchange(ref _measuring, 1, 0) == 0)
        {
            _ = Task.Run(MeasureDataSize);
        }
    }

    private void MeasureDataSize()
    {
        try
        {
            var (count, bytes) = store.Blobs.Measure();
            metrics.Blobs.Set(count);
            metrics.BlobBytes.Set(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot measure the blob store for wheelhouse_blob_bytes: {Reason}", e.Message);
        }
        finally
        {
            Volatile.Write(ref _nextMeasurement, Stopwatch.GetTimestamp() + (long)(DataSizeInterval.TotalSeconds * Stopwatch.Frequency));
            Volatile.Write(ref _measuring, 0);
        }
    }
}
