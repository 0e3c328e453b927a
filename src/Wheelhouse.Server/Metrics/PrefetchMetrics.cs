using Prometheus;

namespace Wheelhouse.Server.Metrics;

/// <summary>Pre-fetch's metrics (README "Working offline"), registered in the server's registry beside the others.</summary>
public sealed class PrefetchMetrics
{
    private readonly Counter _files;
    private readonly Counter _bytes;
    private readonly Gauge _lastRun;

    public PrefetchMetrics(ServerMetrics metrics)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        _files = factory.CreateCounter("wheelhouse_prefetch_files_total",
            "Files a mirror's pre-fetch stored (outcome fetched) or could not fetch (outcome failed), by mirror index.", "index", "outcome");
        _bytes = factory.CreateCounter("wheelhouse_prefetch_bytes_total", "Bytes a mirror's pre-fetch stored, by mirror index.", "index");
        _lastRun = factory.CreateGauge("wheelhouse_prefetch_last_run_timestamp_seconds",
            "When a mirror's last pre-fetch run finished (Unix time), by mirror index.", "index");
    }

    public void Fetched(string index, long bytes)
    {
        _files.WithLabels(index, "fetched").Inc();
        _bytes.WithLabels(index).Inc(bytes);
    }

    public void Failed(string index) => _files.WithLabels(index, "failed").Inc();

    public void Finished(string index, DateTimeOffset at) => _lastRun.WithLabels(index).Set(at.ToUnixTimeMilliseconds() / 1000.0);
}
