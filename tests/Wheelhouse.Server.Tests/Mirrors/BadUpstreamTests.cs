using System.Net;
using Microsoft.AspNetCore.Http;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>Mirror indexes whose upstream misbehaves, through the server's HTTP API: nothing bad is stored or served.</summary>
[Integration]
public sealed class BadUpstreamTests : IAsyncLifetime
{
    private static readonly byte[] Wheel = Distributions.Wheel("gizmo", "1.0");
    private static readonly string WrongSha = new('0', 64);

    private UpstreamStub _upstream = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _upstream = await UpstreamStub.StartAsync(async c =>
        {
            var path = c.Request.Path.Value!;
            if (path.StartsWith("/hang/", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }
            else if (path.StartsWith("/err/", StringComparison.Ordinal))
            {
                c.Response.StatusCode = 500;
                await c.Response.WriteAsync("boom");
            }
            else if (path.StartsWith("/garbage/", StringComparison.Ordinal))
            {
                c.Response.ContentType = "application/vnd.pypi.simple.v1+json";
                await c.Response.WriteAsync("{\"files\": [not json");
            }
            else if (path == "/badhash/gizmo/")
            {
                c.Response.ContentType = "text/html";
                await c.Response.WriteAsync($"<a href=\"/files/{Distributions.WheelName("gizmo", "1.0")}#sha256={WrongSha}\">{Distributions.WheelName("gizmo", "1.0")}</a>");
            }
            else if (path.StartsWith("/files/", StringComparison.Ordinal))
            {
                c.Response.ContentType = "application/octet-stream";
                await c.Response.Body.WriteAsync(Wheel);
            }
            else
            {
                c.Response.StatusCode = 404;
            }
        });
        // The hanging upstream is given up on after 3 s in all; each answering one has 2 s, however busy the machine.
        _server = await TestServer.StartAsync(mirrorHttp: new Wheelhouse.Server.Mirrors.MirrorHttpOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(2),
            TotalTimeout = TimeSpan.FromSeconds(3),
            RetryDelay = TimeSpan.FromMilliseconds(50),
        });
        await _server.CreateUserAsync("ops");
        foreach (var name in new[] { "err", "garbage", "badhash", "hang" })
        {
            await _server.CreateIndexAsync("ops", name, $$"""{"type": "mirror", "mirror_url": "{{_upstream.BaseUrl}}/{{name}}/"}""");
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData("err", "500")]
    [InlineData("garbage", "JSON")]
    [InlineData("hang", "time")]
    public async Task A_failing_upstream_gives_502_saying_what_went_wrong_and_nothing_is_cached(string index, string reason)
    {
        using var response = await _server.Client.GetAsync($"ops/{index}/+simple/gizmo/");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await response.Content.ReadAsStringAsync()).Should().Contain($"ops/{index}").And.Contain(reason);
        var pages = Path.Combine(_server.DataDirectory, "mirror-pages");
        (Directory.Exists(pages) ? Directory.EnumerateFiles(pages, "*", SearchOption.AllDirectories).ToList() : []).Should().BeEmpty("a failed fetch caches nothing");
    }

    [Fact]
    public async Task A_file_whose_hash_does_not_match_is_never_stored_nor_served_complete_and_the_next_answer_says_why()
    {
        var name = Distributions.WheelName("gizmo", "1.0");
        var page = await _server.Client.GetStringAsync("ops/badhash/+simple/gizmo/");
        page.Should().Contain(WrongSha);
        var url = $"ops/badhash/+f/{WrongSha[..3]}/{WrongSha[3..16]}/{name}";

        var completed = false;
        try
        {
            using var response = await _server.Client.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            completed = response.StatusCode == HttpStatusCode.OK && body.SequenceEqual(Wheel);
        }
        catch (HttpRequestException)
        {
            // The download was cut off: the client never sees a file that failed the check as complete.
        }
        using var again = await _server.Client.GetAsync(url);

        completed.Should().BeFalse("a file that fails its hash check is never served as a complete answer");
        again.StatusCode.Should().Be(HttpStatusCode.BadGateway, "the streamed download could only be cut off; the next client is told why");
        (await again.Content.ReadAsStringAsync()).Should().Contain($"has sha256 {Distributions.Sha256(Wheel)} but the index page announced {WrongSha}")
            .And.Contain("not stored").And.Contain("not asked again before");
        var files = Path.Combine(_server.DataDirectory, "+files");
        (Directory.Exists(files) ? Directory.EnumerateFiles(files, "*", SearchOption.AllDirectories).ToList() : []).Should().BeEmpty();
        _upstream.Hits($"/files/{name}").Should().Be(1, "the mismatch is remembered for a minute rather than downloaded again");
    }
}
