using System.Collections.Concurrent;
using Prometheus;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Metrics;

/// <summary>
/// Every metric the server exports at <c>/+metrics</c>, in one registry of its own (not prometheus-net's static default,
/// so two servers in one test process do not mix). What each one means is in the README's "Metrics" section; the
/// example dashboard and alert rules in docs/examples/ read these names. Values that already exist elsewhere (the
/// serial, the page cache's counts, the data size) are read when Prometheus scrapes, so they cost nothing in between.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>HTTP latency: a cached simple page takes well under a millisecond, a large upload or mirror fetch seconds.</summary>
    private static readonly double[] HttpBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];

    /// <summary>Upstream and database latency.</summary>
    private static readonly double[] UpstreamBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private static readonly double[] StorageBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

    private readonly ConcurrentDictionary<(string Route, string Method, int Code), Counter.Child> _requestChildren = new();
    private readonly ConcurrentDictionary<(string Route, string Method), Histogram.Child> _durationChildren = new();
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Counter _upstreamRequests;
    private readonly Histogram _upstreamDuration;
    private readonly Histogram _storage;

    public ServerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry); // GC collections, heap and working set, CPU, threads, open handles
        factory.CreateGauge("wheelhouse_build_info", "Always 1; the label names the running version.", "version")
            .WithLabels(DevpiHeaders.ServerVersion).Set(1);
        _requests = factory.CreateCounter("wheelhouse_http_requests_total",
            "HTTP requests answered, by route template (as mapped, e.g. /{user}/{index}/+simple/{project}), method and status code.",
            "route", "method", "code");
        _duration = factory.CreateHistogram("wheelhouse_http_request_duration_seconds",
            "Time from the request's arrival at the server to its last byte handed to the connection, by route template and method.",
            ["route", "method"], new HistogramConfiguration { Buckets = HttpBuckets });
        UploadBytes = factory.CreateCounter("wheelhouse_upload_bytes_total", "Request bytes received by the upload route (POST /{user}/{index}).");
        DownloadBytes = factory.CreateCounter("wheelhouse_download_bytes_total",
            "Release file bytes the server itself sent (GET /{user}/{index}/+f/...); files nginx sends from the served tree are not counted.");
        PageCacheHits = factory.CreateCounter("wheelhouse_page_cache_hits_total", "Simple pages answered from the rendered-page cache.");
        PageCacheMisses = factory.CreateCounter("wheelhouse_page_cache_misses_total", "Simple pages that had to be rendered (nothing cached for the current serial).");
        PageCacheBytes = factory.CreateGauge("wheelhouse_page_cache_bytes", "Bytes held by the rendered-page cache.");
        _upstreamRequests = factory.CreateCounter("wheelhouse_mirror_upstream_requests_total",
            "HTTP requests to mirror upstreams (each attempt, retries included), by upstream host and outcome: ok, not_modified, not_found, client_error, server_error, timeout, error.",
            "host", "outcome");
        _upstreamDuration = factory.CreateHistogram("wheelhouse_mirror_upstream_duration_seconds",
            "Time to an upstream's response headers (or failure), per attempt, by upstream host.",
            ["host"], new HistogramConfiguration { Buckets = UpstreamBuckets });
        _storage = factory.CreateHistogram("wheelhouse_storage_operation_seconds",
            "Time spent in the metadata database, by operation: query (a read), statement (a write inside a transaction), commit, wait (for the write lock or transaction).",
            ["operation"], new HistogramConfiguration { Buckets = StorageBuckets });
        Serial = factory.CreateGauge("wheelhouse_serial", "The serial of the last commit this node knows (X-Devpi-Serial).");
        BlobBytes = factory.CreateGauge("wheelhouse_blob_bytes", "Bytes of the stored release files and docs (+files) the rows refer to, each content once; measured at most every few minutes.");
        Blobs = factory.CreateGauge("wheelhouse_blobs", "Number of distinct stored release files and docs (+files) the rows refer to, measured with wheelhouse_blob_bytes.");
        StorageUnavailable = factory.CreateCounter("wheelhouse_storage_unavailable_total",
            "Requests answered 503 because the metadata database could not be reached.");
        OtherNodeCommits = factory.CreateCounter("wheelhouse_other_node_commits_total",
            "Times this node took in commits another node or process made (its caches were reloaded).");
        LiveNodes = factory.CreateGauge("wheelhouse_nodes_live", "Nodes holding a valid lease on the shared database, this one included, as of this node's last renewal (PostgreSQL only).");
        AcknowledgementWait = factory.CreateHistogram("wheelhouse_write_acknowledgement_wait_seconds",
            "Time an answered write waited, after its commit, for the other live nodes to take it in (PostgreSQL only).",
            new HistogramConfiguration { Buckets = StorageBuckets });
        ReadBarrierWaits = factory.CreateCounter("wheelhouse_read_barrier_waits_total",
            "Requests that waited for a check of the stored serial because this node was not in sync with the shared database (lease or announcements lost, PostgreSQL only).");
        InSync = factory.CreateGauge("wheelhouse_node_in_sync",
            "1 while this node serves reads without the read barrier (its lease is valid and it takes every commit in), else 0 (PostgreSQL only).");
        SyncLosses = factory.CreateCounter("wheelhouse_node_sync_losses_total",
            "Times this node fell out of sync with the shared database (a lease renewal late or failed, announcements lost, taking in stuck); its reads then wait for the read barrier until a fresh renewal (PostgreSQL only).");
    }

    public Gauge InSync { get; }

    public Counter SyncLosses { get; }

    public Gauge LiveNodes { get; }

    public Histogram AcknowledgementWait { get; }

    public Counter ReadBarrierWaits { get; }

    /// <summary>The registry <c>/+metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    public Counter UploadBytes { get; }

    public Counter DownloadBytes { get; }

    public Counter PageCacheHits { get; }

    public Counter PageCacheMisses { get; }

    public Gauge PageCacheBytes { get; }

    public Gauge Serial { get; }

    public Gauge BlobBytes { get; }

    public Gauge Blobs { get; }

    public Counter StorageUnavailable { get; }

    public Counter OtherNodeCommits { get; }

    /// <summary>One answered request.</summary>
    public void Request(string route, string method, int code, double seconds)
    {
        _requestChildren.GetOrAdd((route, method, code), k => _requests.WithLabels(k.Route, k.Method, k.Code.ToString(System.Globalization.CultureInfo.InvariantCulture))).Inc();
        _durationChildren.GetOrAdd((route, method), k => _duration.WithLabels(k.Route, k.Method)).Observe(seconds);
    }

    /// <summary>One attempt at an upstream.</summary>
    public void Upstream(string host, string outcome, double seconds)
    {
        _upstreamRequests.WithLabels(host, outcome).Inc();
        _upstreamDuration.WithLabels(host).Observe(seconds);
    }

    /// <summary>Time spent in the database (see <see cref="StorageMetricsListener"/>).</summary>
    public void Storage(string operation, double seconds) => _storage.WithLabels(operation).Observe(seconds);
}
