using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Mirrors;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Application.Releases;

/// <summary>
/// devpi's project and version views over mirrors, as devpi-server gives them to <c>devpi list</c> and
/// <c>devpi getjson</c>: a mirror's versions are its upstream page's, an inheriting index adds them after its own unless
/// mirror_whitelist keeps the mirror out, and a version the mirror stored keeps its metadata and history.
/// </summary>
[Integration]
public sealed class ProjectViewsTests : IAsyncLifetime
{
    private readonly byte[] _one = Distributions.Wheel("viewdemo", "1.0");
    private StaticTreeMirror _mirror = null!;

    private TestServer Server => _mirror.Server;

    public async Task InitializeAsync() => _mirror = await StaticTreeMirror.StartAsync(new Dictionary<string, byte[]>
    {
        [Distributions.WheelName("viewdemo", "1.0")] = _one,
        [Distributions.WheelName("viewdemo", "2.0")] = Distributions.Wheel("viewdemo", "2.0"),
    }, requiresPython: ">=3.8", yanked: new Dictionary<string, string> { [Distributions.WheelName("viewdemo", "2.0")] = "broken" });

    public async Task DisposeAsync() => await _mirror.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode? Body)> JsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Theory]
    [InlineData("ops/upstream")]
    [InlineData("ops/stage")]
    public async Task A_mirror_s_versions_are_its_upstream_page_s_with_links_to_the_mirror(string index)
    {
        var (status, body) = await JsonAsync($"{index}/viewdemo");

        status.Should().Be(HttpStatusCode.OK, body?.ToJsonString());
        var result = body!["result"]!.AsObject();
        result.Select(p => p.Key).Should().Equal("2.0", "1.0");
        var one = result["1.0"]!;
        ((string?)one["name"]).Should().Be("viewdemo");
        ((string?)one["requires_python"]).Should().Be(">=3.8");
        one.AsObject().ContainsKey("yanked").Should().BeFalse();
        var link = one["+links"]!.AsArray().Single()!;
        var sha = Distributions.Sha256(_one);
        ((string?)link["href"]).Should().Be($"{Server.BaseUrl}/ops/upstream/+f/{sha[..3]}/{sha[3..16]}/{Distributions.WheelName("viewdemo", "1.0")}");
        ((string?)link["hash_spec"]).Should().Be("sha256=" + sha);
        ((string?)result["2.0"]!["yanked"]).Should().Be("broken");
    }

    [Fact]
    public async Task A_stored_version_keeps_its_metadata_and_history_and_the_version_view_finds_it_through_the_stage()
    {
        var sha = Distributions.Sha256(_one);
        using (var fetched = await Server.Client.GetAsync($"ops/upstream/+f/{sha[..3]}/{sha[3..16]}/{Distributions.WheelName("viewdemo", "1.0")}"))
        {
            fetched.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // The mirror commits the file just after the download ends: wait for the stored release, ten seconds at most.
        var (status, version) = await JsonAsync("ops/stage/viewdemo/1.0");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); version?["result"]?["summary"] is null && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
            (status, version) = await JsonAsync("ops/stage/viewdemo/1.0");
        }
        var (yankedStatus, yanked) = await JsonAsync("ops/stage/viewdemo/2.0");
        var (missing, _) = await JsonAsync("ops/stage/viewdemo/3.0");

        status.Should().Be(HttpStatusCode.OK, version?.ToJsonString());
        version!["result"]!["summary"].Should().NotBeNull("the stored release's metadata, read from the wheel");
        version["result"]!["+links"]![0]!["log"]!.AsArray().Should().NotBeEmpty("the mirror's fetch is in the file's history");
        yankedStatus.Should().Be(HttpStatusCode.OK);
        ((string?)yanked!["result"]!["yanked"]).Should().Be("broken");
        missing.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_private_release_keeps_the_mirror_out_unless_the_project_is_whitelisted()
    {
        var (uploadUser, password) = ("ops", "ops-pw");
        await Server.UploadWheelAsync("ops/stage", uploadUser, "viewdemo", "3.0", password);

        var (_, blocked) = await JsonAsync("ops/stage/viewdemo");
        using (var patch = await Server.SendAsync(HttpMethod.Patch, "ops/stage", uploadUser, password, """["mirror_whitelist+=viewdemo"]"""))
        {
            patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        }
        var (_, whitelisted) = await JsonAsync("ops/stage/viewdemo");
        var (_, own) = await JsonAsync("ops/stage/viewdemo?ignore_bases");

        blocked!["result"]!.AsObject().Select(p => p.Key).Should().Equal("3.0");
        whitelisted!["result"]!.AsObject().Select(p => p.Key).Should().Equal("3.0", "2.0", "1.0");
        own!["result"]!.AsObject().Select(p => p.Key).Should().Equal("3.0");
    }

    [Fact]
    public async Task A_project_the_upstream_does_not_have_is_404_and_an_unreachable_upstream_with_nothing_known_is_502()
    {
        var (missing, _) = await JsonAsync("ops/stage/nothing-here");
        _mirror.Tree.Stop();
        var (unreachable, body) = await JsonAsync("ops/stage/never-asked");

        missing.Should().Be(HttpStatusCode.NotFound);
        unreachable.Should().Be(HttpStatusCode.BadGateway);
        ((string?)body!["message"]).Should().Contain("ops/upstream");
    }
}
