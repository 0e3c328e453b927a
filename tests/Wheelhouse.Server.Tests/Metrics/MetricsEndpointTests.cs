using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Metrics;

/// <summary>/+metrics of a running server: what requests, uploads and downloads it counts, and who may read it.</summary>
[Integration]
public sealed class MetricsEndpointTests
{
    private static double Value(string text, string series) => ServerMetricsTests.Value(text, series) ?? 0;

    [Fact]
    public async Task Requests_uploads_downloads_and_page_cache_are_counted()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("team");
        await server.CreateIndexAsync("team", "dev");
        var wheel = await server.UploadWheelAsync("team/dev", "team", "demo", "1.0");
        for (var i = 0; i < 3; i++)
        {
            (await server.Client.GetAsync("team/dev/+simple/demo/")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        var page = await server.Client.GetStringAsync("team/dev/+simple/demo/");
        var href = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"#]+)").Groups[1].Value;
        var downloaded = await server.Client.GetByteArrayAsync(new Uri(new Uri(server.BaseUrl + "/team/dev/+simple/demo/"), href));
        downloaded.Should().Equal(wheel);

        using var response = await server.Client.GetAsync("+metrics");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var text = await response.Content.ReadAsStringAsync();
        Value(text, """wheelhouse_http_requests_total{route="/{user}/{index}/+simple/{project}",method="GET",code="200"}""").Should().Be(4);
        Value(text, """wheelhouse_http_requests_total{route="/{user}/{index}",method="POST",code="200"}""").Should().Be(1);
        Value(text, """wheelhouse_page_cache_hits_total""").Should().Be(3, "the first of the four renders the page");
        Value(text, """wheelhouse_page_cache_misses_total""").Should().Be(1);
        Value(text, "wheelhouse_upload_bytes_total").Should().BeGreaterThan(wheel.Length, "the form around the file counts too");
        Value(text, "wheelhouse_download_bytes_total").Should().Be(wheel.Length);
        Value(text, "wheelhouse_serial").Should().BeGreaterThanOrEqualTo(3);
        Value(text, """wheelhouse_storage_operation_seconds_count{operation="commit"}""").Should().BeGreaterThanOrEqualTo(3);
        Value(text, """wheelhouse_storage_operation_seconds_count{operation="query"}""").Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task An_address_outside_metricsAllowedFrom_is_refused_with_the_setting_to_change()
    {
        await using var server = await TestServer.StartAsync(o => o with
        {
            MetricsAllowedFrom = [System.Net.IPNetwork.Parse("10.0.0.0/8")],
        });
        using var response = await server.Client.GetAsync("+metrics");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("metricsAllowedFrom").And.Contain("127.0.0.1").And.NotContain("wheelhouse_http");
    }

    [Fact]
    public async Task Through_a_trusted_proxy_the_forwarded_client_address_decides()
    {
        await using var server = await TestServer.StartAsync();
        using var remote = new HttpRequestMessage(HttpMethod.Get, "+metrics");
        remote.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var refused = await server.Client.SendAsync(remote);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "nginx on loopback passes a remote client's request");
        (await refused.Content.ReadAsStringAsync()).Should().Contain("203.0.113.9");

        using var local = new HttpRequestMessage(HttpMethod.Get, "+metrics");
        local.Headers.Add("X-Forwarded-For", "127.0.0.1");
        (await server.Client.SendAsync(local)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
