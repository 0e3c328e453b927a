using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Metrics;

/// <summary>A real Prometheus scrapes a running server; a query over what it stored returns the requests the test made.</summary>
[Integration]
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Prometheus_scrapes_the_server_and_counts_the_requests_made()
    {
        await using var server = await TestServer.StartAsync();
        var target = new Uri(server.BaseUrl).Authority;
        await using var prometheus = await PrometheusProcess.StartAsync(target);
        const int requests = 37;
        for (var i = 0; i < requests; i++)
        {
            using var response = await server.Client.GetAsync("+api");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        using (var missing = await server.Client.GetAsync("nobody/nothing/+simple/demo/"))
        {
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        var query = """sum(wheelhouse_http_requests_total{job="wheelhouse",route="/+api",method="GET",code="200"})""";
        double? seen = null;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && (seen = await prometheus.QueryAsync(query)) != requests)
        {
            await Task.Delay(500);
        }
        seen.Should().Be(requests, "Prometheus's last scrape holds every request; targets: " + await prometheus.TargetsAsync());
        (await prometheus.QueryAsync("""sum(wheelhouse_http_requests_total{route="/{user}/{index}/+simple/{project}",code="404"})"""))
            .Should().Be(1);
        (await prometheus.QueryAsync("""up{job="wheelhouse"}""")).Should().Be(1);
        (await prometheus.QueryAsync("""wheelhouse_serial{job="wheelhouse"}""")).Should().BeGreaterThanOrEqualTo(0);
        (await prometheus.QueryAsync("""sum(wheelhouse_http_request_duration_seconds_count{route="/+api"})""")).Should().Be(requests);
        (await prometheus.QueryAsync("""histogram_quantile(0.99, sum by (le) (wheelhouse_http_request_duration_seconds_bucket{route="/+api"}))"""))
            .Should().BeGreaterThan(0).And.BeLessThan(30, "a quantile can be taken over the stored histogram");
    }
}
