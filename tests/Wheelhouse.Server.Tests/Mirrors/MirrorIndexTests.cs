using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>A mirror index wired into the simple API and file serving: a second Wheelhouse mirroring the first, over loopback.</summary>
[Integration]
public sealed class MirrorIndexTests : IAsyncLifetime
{
    private MirrorPair _pair = null!;
    private byte[] _wheel = null!;

    public async Task InitializeAsync()
    {
        _pair = await MirrorPair.StartAsync();
        _wheel = await _pair.Upstream.UploadWheelAsync("team/dev", "team", "gizmo", "1.0");
    }

    public async Task DisposeAsync() => await _pair.DisposeAsync();

    private Task StopUpstreamAsync() => _pair.StopUpstreamAsync();

    private static string FileUrl(string sha) => $"ops/up/+f/{sha[..3]}/{sha[3..16]}/{Distributions.WheelName("gizmo", "1.0")}";

    [Fact]
    public async Task A_mirrored_file_is_listed_fetched_once_and_served_after_the_upstream_is_gone()
    {
        var sha = Distributions.Sha256(_wheel);

        var page = await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        page.Should().Contain("../../../" + FileUrl(sha) + "#sha256=" + sha);
        using (var first = await _pair.Server.Client.GetAsync(FileUrl(sha)))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
            (await first.Content.ReadAsByteArrayAsync()).Should().Equal(_wheel);
        }
        await StopUpstreamAsync();

        using var again = await _pair.Server.Client.GetAsync(FileUrl(sha));
        again.StatusCode.Should().Be(HttpStatusCode.OK, "the file was stored on the first request");
        (await again.Content.ReadAsByteArrayAsync()).Should().Equal(_wheel);
        (await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/")).Should().Contain(sha, "the page is cached for mirror_cache_expiry");
    }

    [Fact]
    public async Task The_owner_may_drop_a_cached_file_which_the_next_request_fetches_again_and_nobody_else_may()
    {
        var sha = Distributions.Sha256(_wheel);
        var served = Path.Combine(_pair.Server.DataDirectory, "+f-tree", FileUrl(sha));
        (await _pair.Server.Client.GetByteArrayAsync(FileUrl(sha))).Should().Equal(_wheel);
        (await AppearsAsync(served)).Should().BeTrue("the mirror stores what it sent");

        using (var stranger = await _pair.Server.SendAsync(HttpMethod.Delete, FileUrl(sha)))
        {
            stranger.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a mirror's acl_upload is empty: only its owner and root");
        }
        using (var owner = await _pair.Server.SendAsync(HttpMethod.Delete, FileUrl(sha), "ops", "ops-pw"))
        {
            owner.StatusCode.Should().Be(HttpStatusCode.OK, await owner.Content.ReadAsStringAsync());
        }
        File.Exists(served).Should().BeFalse("the served name goes with the file");

        (await _pair.Server.Client.GetByteArrayAsync(FileUrl(sha))).Should().Equal(_wheel, "the mirror fetches it again");
        (await AppearsAsync(served)).Should().BeTrue("and stores it again");
        using (var version = await _pair.Server.SendAsync(HttpMethod.Delete, "ops/up/gizmo/1.0", "ops", "ops-pw"))
        {
            version.StatusCode.Should().Be(HttpStatusCode.OK, "devpi remove drops the version's stored files: " + await version.Content.ReadAsStringAsync());
        }
        File.Exists(served).Should().BeFalse();
    }

    [Fact]
    public async Task With_mirror_no_project_list_the_mirror_lists_what_it_stored_without_asking_the_upstream()
    {
        await _pair.Upstream.UploadWheelAsync("team/dev", "team", "never-fetched", "1.0");
        using (var created = await _pair.Server.SendAsync(HttpMethod.Put, "ops/listless", "ops", "ops-pw",
            $$"""{"type": "mirror", "mirror_url": "{{_pair.Upstream.BaseUrl}}/team/dev/+simple/", "mirror_no_project_list": true}"""))
        {
            created.StatusCode.Should().Be(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        }
        var sha = Distributions.Sha256(_wheel);
        var url = FileUrl(sha).Replace("ops/up/", "ops/listless/", StringComparison.Ordinal);
        (await _pair.Server.Client.GetByteArrayAsync(url)).Should().Equal(_wheel);
        (await AppearsAsync(Path.Combine(_pair.Server.DataDirectory, "+f-tree", url))).Should().BeTrue();

        var listless = await _pair.Server.Client.GetStringAsync("ops/listless/+simple/");
        var full = await _pair.Server.Client.GetStringAsync("ops/up/+simple/");

        listless.Should().Contain(">gizmo</a>").And.NotContain("never-fetched", "only what the mirror stored");
        full.Should().Contain(">gizmo</a>").And.Contain(">never-fetched</a>", "without the key the list is the upstream's");
    }

    [Fact]
    public async Task A_mirrored_file_whose_content_left_the_data_directory_is_fetched_again_and_stored_for_good()
    {
        var (url, blob) = await MirrorThenLoseContentAsync();

        using (var again = await _pair.Server.Client.GetAsync(url))
        {
            again.StatusCode.Should().Be(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
            (await again.Content.ReadAsByteArrayAsync()).Should().Equal(_wheel);
        }
        (await AppearsAsync(blob)).Should().BeTrue("fetching it again puts the blob back");
        await StopUpstreamAsync();

        (await _pair.Server.Client.GetByteArrayAsync(url)).Should().Equal(_wheel, "it is stored again, so it outlives the upstream");
        (await File.ReadAllBytesAsync(blob)).Should().Equal(_wheel);
    }

    [Fact]
    public async Task A_mirrored_file_whose_content_is_lost_while_the_upstream_is_down_gets_502_saying_both_and_what_to_do()
    {
        var (url, _) = await MirrorThenLoseContentAsync();
        await StopUpstreamAsync();

        using var answer = await _pair.Server.Client.GetAsync(url);

        answer.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await answer.Content.ReadAsStringAsync()).Should().Contain("is stored in ops/up but its content is missing from the data directory")
            .And.Contain("fetching it again failed").And.Contain("'wheelhouse-server check'");
    }

    /// <summary>
    /// The wheel fetched through the mirror and stored, then its blob and served name deleted (a disk cleaned by hand:
    /// the row is there, the bytes are not). The mirror stores a file after its answer and links its name last, so
    /// the name is awaited first.
    /// </summary>
    private async Task<(string Url, string Blob)> MirrorThenLoseContentAsync()
    {
        var sha = Distributions.Sha256(_wheel);
        var blob = Path.Combine(_pair.Server.DataDirectory, "+files", "sha256", sha[..2], sha[2..]);
        var name = Path.Combine(_pair.Server.DataDirectory, Wheelhouse.Storage.Files.ServedTree.DirectoryName, FileUrl(sha));
        (await _pair.Server.Client.GetByteArrayAsync(FileUrl(sha))).Should().Equal(_wheel);
        (await AppearsAsync(name)).Should().BeTrue("the mirror stores what it served, and links its name last");
        File.Delete(name);
        File.Delete(blob);
        return (FileUrl(sha), blob);
    }

    /// <summary>Waits for <paramref name="path"/> to appear, 10 s at most.</summary>
    private static async Task<bool> AppearsAsync(string path)
    {
        for (var i = 0; i < 200 && !File.Exists(path); i++)
        {
            await Task.Delay(50);
        }
        return File.Exists(path);
    }

    [Fact]
    public async Task A_file_never_fetched_gets_502_naming_the_mirror_when_the_upstream_is_down()
    {
        var sha = Distributions.Sha256(_wheel);
        await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        await StopUpstreamAsync();

        using var response = await _pair.Server.Client.GetAsync(FileUrl(sha));
        using var unknown = await _pair.Server.Client.GetAsync("ops/stage/+simple/other-project/");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await response.Content.ReadAsStringAsync()).Should().Contain("ops/up").And.Contain("never fetched");
        unknown.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("ops/up");
    }

    [Fact]
    public async Task A_private_project_of_the_same_name_blocks_the_mirror_until_whitelisted()
    {
        var mirrored = Distributions.Sha256(_wheel);
        var own = Distributions.Sha256(await _pair.Server.UploadWheelAsync("ops/stage", "ops", "gizmo", "2.0"));

        var blocked = await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        using var patch = await _pair.Server.SendAsync(HttpMethod.Patch, "ops/stage", "ops", "ops-pw", """{"mirror_whitelist": ["gizmo"]}""");
        patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        var whitelisted = await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");

        blocked.Should().Contain(own).And.NotContain(mirrored).And.Contain("ops/up not consulted");
        whitelisted.Should().Contain(own).And.Contain(mirrored).And.NotContain("not consulted");
    }

    [Fact]
    public async Task A_mirror_s_project_list_is_its_upstream_s_and_a_stage_list_leaves_mirrors_out()
    {
        var mirrorList = await _pair.Server.Client.GetStringAsync("ops/up/+simple/");
        var stageList = await _pair.Server.Client.GetStringAsync("ops/stage/+simple/");
        await StopUpstreamAsync();
        using var cached = await _pair.Server.Client.GetAsync("ops/up/+simple/");

        mirrorList.Should().Contain("<a href=\"gizmo/\">gizmo</a>");
        stageList.Should().NotContain("gizmo");
        cached.StatusCode.Should().Be(HttpStatusCode.OK, "the list is cached for mirror_cache_expiry");
    }

    [Fact]
    public async Task An_expired_page_is_served_with_a_Warning_header_when_the_upstream_is_down()
    {
        await _pair.Server.CreateIndexAsync("ops", "eager", $$"""{"type": "mirror", "mirror_url": "{{_pair.Upstream.BaseUrl}}/team/dev/+simple/", "mirror_cache_expiry": 0}""");
        (await _pair.Server.Client.GetStringAsync("ops/eager/+simple/gizmo/")).Should().Contain(Distributions.Sha256(_wheel));
        await StopUpstreamAsync();

        using var stale = await _pair.Server.Client.GetAsync("ops/eager/+simple/gizmo/");

        stale.StatusCode.Should().Be(HttpStatusCode.OK);
        stale.Headers.Warning.ToString().Should().Contain("ops/eager");
        (await stale.Content.ReadAsStringAsync()).Should().Contain(Distributions.Sha256(_wheel));
    }

    [Fact]
    public async Task Root_pypi_exists_from_the_first_start_as_a_mirror_of_pypi()
    {
        using var response = await _pair.Server.SendAsync(HttpMethod.Get, "root/pypi");
        var config = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!;

        ((string?)config["type"]).Should().Be("mirror");
        ((string?)config["mirror_url"]).Should().Be("https://pypi.org/simple/");
    }

    [Fact]
    public async Task Refresh_drops_the_cached_upstream_page_and_redirects_to_the_page()
    {
        (await _pair.Server.Client.GetStringAsync("ops/up/+simple/gizmo/")).Should().NotContain("gizmo-1.1");
        var newer = Distributions.Sha256(await _pair.Upstream.UploadWheelAsync("team/dev", "team", "gizmo", "1.1"));
        (await _pair.Server.Client.GetStringAsync("ops/up/+simple/gizmo/")).Should().NotContain(newer, "still cached");

        using var refresh = await _pair.Server.Client.PostAsync("ops/up/+simple/Gizmo/refresh", null);
        using var slashed = await _pair.Server.Client.PostAsync("ops/up/+simple/gizmo/refresh/", null);

        foreach (var answer in new[] { refresh, slashed })
        {
            answer.StatusCode.Should().Be(HttpStatusCode.Found);
            new Uri(answer.RequestMessage!.RequestUri!, answer.Headers.Location!).AbsolutePath.Should().Be("/ops/up/+simple/gizmo/");
        }
        (await _pair.Server.Client.GetStringAsync("ops/up/+simple/gizmo/")).Should().Contain(newer);
    }

    [Fact]
    public async Task A_page_kept_for_a_stage_over_a_mirror_follows_the_mirror_s_refreshed_page()
    {
        var first = await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        var again = await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");
        var newer = Distributions.Sha256(await _pair.Upstream.UploadWheelAsync("team/dev", "team", "gizmo", "1.1"));
        var cached = await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");

        using (await _pair.Server.Client.PostAsync("ops/stage/+simple/gizmo/refresh", null))
        {
        }
        var refreshed = await _pair.Server.Client.GetStringAsync("ops/stage/+simple/gizmo/");

        again.Should().Be(first);
        cached.Should().Be(first, "the mirror's page is cached for mirror_cache_expiry, and the rendered page with it");
        refreshed.Should().Contain(newer).And.Contain(Distributions.Sha256(_wheel));
    }
}
