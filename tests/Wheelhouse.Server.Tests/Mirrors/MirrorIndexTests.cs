using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>A mirror index wired into the simple API and file serving: a second Wheelhouse mirroring the first, over loopback.</summary>
public sealed class MirrorIndexTests : IAsyncLifetime
{
    private TestServer _upstream = null!;
    private TestServer _server = null!;
    private byte[] _wheel = null!;
    private bool _upstreamStopped;

    public async Task InitializeAsync()
    {
        _upstream = await TestServer.StartAsync();
        await _upstream.CreateUserAsync("team");
        await _upstream.CreateIndexAsync("team", "dev");
        _wheel = await UploadAsync(_upstream, "team/dev", "team", "gizmo", "1.0");

        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("ops");
        await _server.CreateIndexAsync("ops", "up", $$"""{"type": "mirror", "mirror_url": "{{_upstream.BaseUrl}}/team/dev/+simple/"}""");
        await _server.CreateIndexAsync("ops", "stage", """{"bases": ["ops/up"]}""");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (!_upstreamStopped)
        {
            await _upstream.DisposeAsync();
        }
    }

    private static async Task<byte[]> UploadAsync(TestServer server, string index, string user, string name, string version)
    {
        var wheel = Distributions.Wheel(name, version);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{index}/")
        {
            Content = Distributions.Form(name, version, wheel, Distributions.WheelName(name, version)),
        };
        request.Headers.Authorization = TestServer.Basic(user, user + "-pw");
        using var response = await server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return wheel;
    }

    private async Task StopUpstreamAsync()
    {
        await _upstream.DisposeAsync();
        _upstreamStopped = true;
    }

    private string FileUrl(string sha) => $"ops/up/+f/{sha[..3]}/{sha[3..16]}/{Distributions.WheelName("gizmo", "1.0")}";

    [Fact]
    public async Task A_mirrored_file_is_listed_fetched_once_and_served_after_the_upstream_is_gone()
    {
        var sha = Distributions.Sha256(_wheel);

        var page = await _server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        page.Should().Contain("../../../" + FileUrl(sha) + "#sha256=" + sha);
        using (var first = await _server.Client.GetAsync(FileUrl(sha)))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
            (await first.Content.ReadAsByteArrayAsync()).Should().Equal(_wheel);
        }
        await StopUpstreamAsync();

        using var again = await _server.Client.GetAsync(FileUrl(sha));
        again.StatusCode.Should().Be(HttpStatusCode.OK, "the file was stored on the first request");
        (await again.Content.ReadAsByteArrayAsync()).Should().Equal(_wheel);
        (await _server.Client.GetStringAsync("ops/stage/+simple/gizmo/")).Should().Contain(sha, "the page is cached for mirror_cache_expiry");
    }

    [Fact]
    public async Task A_file_never_fetched_gets_502_naming_the_mirror_when_the_upstream_is_down()
    {
        var sha = Distributions.Sha256(_wheel);
        await _server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        await StopUpstreamAsync();

        using var response = await _server.Client.GetAsync(FileUrl(sha));
        using var unknown = await _server.Client.GetAsync("ops/stage/+simple/other-project/");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await response.Content.ReadAsStringAsync()).Should().Contain("ops/up").And.Contain("never fetched");
        unknown.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("ops/up");
    }

    [Fact]
    public async Task A_private_project_of_the_same_name_blocks_the_mirror_until_whitelisted()
    {
        var mirrored = Distributions.Sha256(_wheel);
        var own = Distributions.Sha256(await UploadAsync(_server, "ops/stage", "ops", "gizmo", "2.0"));

        var blocked = await _server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        using var patch = await _server.SendAsync(HttpMethod.Patch, "ops/stage", "ops", "ops-pw", """{"mirror_whitelist": ["gizmo"]}""");
        patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        var whitelisted = await _server.Client.GetStringAsync("ops/stage/+simple/gizmo/");

        blocked.Should().Contain(own).And.NotContain(mirrored).And.Contain("ops/up not consulted");
        whitelisted.Should().Contain(own).And.Contain(mirrored).And.NotContain("not consulted");
    }

    [Fact]
    public async Task A_mirror_s_project_list_is_its_upstream_s_and_a_stage_list_leaves_mirrors_out()
    {
        var mirrorList = await _server.Client.GetStringAsync("ops/up/+simple/");
        var stageList = await _server.Client.GetStringAsync("ops/stage/+simple/");
        await StopUpstreamAsync();
        using var cached = await _server.Client.GetAsync("ops/up/+simple/");

        mirrorList.Should().Contain("<a href=\"gizmo/\">gizmo</a>");
        stageList.Should().NotContain("gizmo");
        cached.StatusCode.Should().Be(HttpStatusCode.OK, "the list is cached for mirror_cache_expiry");
    }

    [Fact]
    public async Task An_expired_page_is_served_with_a_Warning_header_when_the_upstream_is_down()
    {
        await _server.CreateIndexAsync("ops", "eager", $$"""{"type": "mirror", "mirror_url": "{{_upstream.BaseUrl}}/team/dev/+simple/", "mirror_cache_expiry": 0}""");
        (await _server.Client.GetStringAsync("ops/eager/+simple/gizmo/")).Should().Contain(Distributions.Sha256(_wheel));
        await StopUpstreamAsync();

        using var stale = await _server.Client.GetAsync("ops/eager/+simple/gizmo/");

        stale.StatusCode.Should().Be(HttpStatusCode.OK);
        stale.Headers.Warning.ToString().Should().Contain("ops/eager");
        (await stale.Content.ReadAsStringAsync()).Should().Contain(Distributions.Sha256(_wheel));
    }

    [Fact]
    public async Task Root_pypi_exists_from_the_first_start_as_a_mirror_of_pypi()
    {
        using var response = await _server.SendAsync(HttpMethod.Get, "root/pypi");
        var config = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!;

        ((string?)config["type"]).Should().Be("mirror");
        ((string?)config["mirror_url"]).Should().Be("https://pypi.org/simple/");
    }

    [Fact]
    public async Task Refresh_drops_the_cached_upstream_page_and_redirects_to_the_page()
    {
        (await _server.Client.GetStringAsync("ops/up/+simple/gizmo/")).Should().NotContain("gizmo-1.1");
        var newer = Distributions.Sha256(await UploadAsync(_upstream, "team/dev", "team", "gizmo", "1.1"));
        (await _server.Client.GetStringAsync("ops/up/+simple/gizmo/")).Should().NotContain(newer, "still cached");

        using var refresh = await _server.Client.PostAsync("ops/up/+simple/gizmo/refresh", null);

        refresh.StatusCode.Should().Be(HttpStatusCode.Found);
        (await _server.Client.GetStringAsync("ops/up/+simple/gizmo/")).Should().Contain(newer);
    }
}
