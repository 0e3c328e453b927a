using System.Net;
using System.Text;
using Prometheus;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Server.Hosting;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Server.Simple;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Metrics;

/// <summary>The counters and histograms of <see cref="ServerMetrics"/>, read back in the Prometheus text format.</summary>
public sealed class ServerMetricsTests
{
    public static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The value of one series (name with its labels as exported), or null when it is not there.</summary>
    public static double? Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    [Fact]
    public async Task Requests_are_counted_by_route_method_and_code_and_timed_by_route()
    {
        var metrics = new ServerMetrics();
        metrics.Request("/{user}/{index}/+simple/{project}", "GET", 200, 0.002);
        metrics.Request("/{user}/{index}/+simple/{project}", "GET", 200, 0.2);
        metrics.Request("/{user}/{index}/+simple/{project}", "GET", 404, 0.001);
        var text = await ExportAsync(metrics.Registry);
        Value(text, """wheelhouse_http_requests_total{route="/{user}/{index}/+simple/{project}",method="GET",code="200"}""").Should().Be(2);
        Value(text, """wheelhouse_http_requests_total{route="/{user}/{index}/+simple/{project}",method="GET",code="404"}""").Should().Be(1);
        Value(text, """wheelhouse_http_request_duration_seconds_count{route="/{user}/{index}/+simple/{project}",method="GET"}""").Should().Be(3);
        Value(text, """wheelhouse_http_request_duration_seconds_bucket{route="/{user}/{index}/+simple/{project}",method="GET",le="0.0025"}""").Should().Be(2);
        Value(text, """wheelhouse_http_request_duration_seconds_sum{route="/{user}/{index}/+simple/{project}",method="GET"}""").Should().BeApproximately(0.203, 1e-9);
    }

    [Fact]
    public async Task Storage_measurements_arrive_through_the_listener_by_operation()
    {
        var metrics = new ServerMetrics();
        using var listener = new StorageMetricsListener(metrics);
        StorageMeter.Record(StorageMeter.Commit, System.Diagnostics.Stopwatch.GetTimestamp());
        StorageMeter.Record(StorageMeter.Commit, System.Diagnostics.Stopwatch.GetTimestamp());
        var text = await ExportAsync(metrics.Registry);
        // Other tests in this process may commit meanwhile: at least ours.
        Value(text, """wheelhouse_storage_operation_seconds_count{operation="commit"}""").Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task The_page_cache_counts_hits_and_misses_and_collection_exports_them_with_the_serial()
    {
        var cache = new RenderedPageCache();
        var key = new RenderedPageCache.Key(IndexPath.Parse("team/dev"), "demo", SimpleFormat.Html, 0);
        var snapshot = new object();
        var renders = 0;
        cache.GetOrRender(key, 5, snapshot, () => { renders++; return [1, 2, 3]; });
        cache.GetOrRender(key, 5, snapshot, () => { renders++; return [1, 2, 3]; });
        cache.GetOrRender(key, 6, snapshot, () => { renders++; return [1, 2, 3, 4]; });
        renders.Should().Be(2);
        cache.Hits.Should().Be(1);
        cache.Misses.Should().Be(2);

        var data = Directory.CreateTempSubdirectory("wh-metrics-").FullName;
        try
        {
            using var store = PackageStore.OpenDataDirectory(data);
            var metrics = new ServerMetrics();
            var collection = new MetricsCollection(metrics, store, cache, new NodeLease(store, metrics, Microsoft.Extensions.Logging.Abstractions.NullLogger<NodeLease>.Instance), Microsoft.Extensions.Logging.Abstractions.NullLogger<MetricsCollection>.Instance);
            // Measured first, so the scrape does not start its background pass over the rows: that pass could still
            // be reading the database when the directory is removed below (a CI run failed that way).
            collection.MeasureDataSize();
            collection.Collect();
            var text = await ExportAsync(metrics.Registry);
            Value(text, "wheelhouse_page_cache_hits_total").Should().Be(1);
            Value(text, "wheelhouse_page_cache_misses_total").Should().Be(2);
            Value(text, "wheelhouse_page_cache_bytes").Should().Be(4);
            Value(text, "wheelhouse_serial").Should().Be(store.Serial);
            Value(text, "wheelhouse_blobs").Should().Be(0);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task The_data_size_is_measured_from_the_rows_each_content_once()
    {
        var data = Directory.CreateTempSubdirectory("wh-metrics-").FullName;
        try
        {
            using var store = PackageStore.OpenDataDirectory(data);
            using (var work = await store.BeginAsync())
            {
                work.AddUser(new UserRecord("u", "hash", "", "", "", DateTimeOffset.UtcNow));
                foreach (var index in new[] { "dev", "prod" })
                {
                    work.AddIndex(new IndexRecord("u", index, "{}"));
                    work.PutRelease(new ReleaseRecord("u", index, "demo", "1.0", "demo", "{}", DateTimeOffset.UtcNow));
                    var blob = store.CreateBlob();
                    await blob.WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
                    await blob.FinishAsync();
                    work.AddFile(new FileRecord("u", index, "demo-1.0.tar.gz", "demo", "1.0", FileKind.ReleaseFile, blob.Sha256, 3,
                        DateTimeOffset.UtcNow, "", null, "[]"), blob);
                }
                work.Commit();
            }
            var metrics = new ServerMetrics();
            new MetricsCollection(metrics, store, new RenderedPageCache(), new NodeLease(store, metrics, Microsoft.Extensions.Logging.Abstractions.NullLogger<NodeLease>.Instance), Microsoft.Extensions.Logging.Abstractions.NullLogger<MetricsCollection>.Instance)
                .MeasureDataSize();
            var text = await ExportAsync(metrics.Registry);
            Value(text, "wheelhouse_blobs").Should().Be(1, "two indexes hold one content");
            Value(text, "wheelhouse_blob_bytes").Should().Be(3);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "ok")]
    [InlineData(HttpStatusCode.NotModified, "not_modified")]
    [InlineData(HttpStatusCode.NotFound, "not_found")]
    [InlineData(HttpStatusCode.Forbidden, "client_error")]
    [InlineData(HttpStatusCode.BadGateway, "server_error")]
    public async Task Upstream_attempts_are_counted_by_host_and_outcome(HttpStatusCode status, string outcome)
    {
        var metrics = new ServerMetrics();
        using var client = new HttpClient(new UpstreamMetricsHandler(metrics) { InnerHandler = new Answering(_ => new HttpResponseMessage(status)) });
        using var _ = await client.GetAsync(new Uri("https://pypi.example.org/simple/demo/"));
        var text = await ExportAsync(metrics.Registry);
        Value(text, $$"""wheelhouse_mirror_upstream_requests_total{host="pypi.example.org",outcome="{{outcome}}"}""").Should().Be(1);
        Value(text, """wheelhouse_mirror_upstream_duration_seconds_count{host="pypi.example.org"}""").Should().Be(1);
    }

    [Fact]
    public async Task An_upstream_that_cannot_be_reached_counts_as_an_error()
    {
        var metrics = new ServerMetrics();
        using var client = new HttpClient(new UpstreamMetricsHandler(metrics)
        {
            InnerHandler = new Answering(_ => throw new HttpRequestException("connection refused")),
        });
        await FluentActions.Awaiting(() => client.GetAsync(new Uri("http://mirror.example.org:8080/simple/"))).Should().ThrowAsync<HttpRequestException>();
        Value(await ExportAsync(metrics.Registry), """wheelhouse_mirror_upstream_requests_total{host="mirror.example.org:8080",outcome="error"}""").Should().Be(1);
    }

    [Fact]
    public async Task Gc_and_memory_are_exported()
    {
        var text = await ExportAsync(new ServerMetrics().Registry);
        text.Should().Contain("dotnet_collection_count_total").And.Contain("process_working_set_bytes").And.Contain("dotnet_total_memory_bytes");
        Value(text, $$"""wheelhouse_build_info{version="{{DevpiHeaders.ServerVersion}}"}""").Should().Be(1);
    }

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
