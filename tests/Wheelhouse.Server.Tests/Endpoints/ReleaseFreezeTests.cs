using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary>
/// Issue 9, item 5: on a non-volatile index a release's metadata is frozen once it has a file, and versions are
/// compared by PEP 440 equality (1.0.0 is the release 1.0). Volatile indexes keep their behaviour.
/// </summary>
[Integration]
public sealed class ReleaseFreezeTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "prod", """{"volatile": false}""");
        await _server.CreateIndexAsync("team", "dev");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> PostAsync(string index, HttpContent form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{index}/") { Content = form };
        request.Headers.Authorization = TestServer.Basic("team", "team-pw");
        return await _server.Client.SendAsync(request);
    }

    private async Task<JsonObject> VersionDataAsync(string index, string project, string version)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, $"{index}/{project}/{version}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!.AsObject();
    }

    [Fact]
    public async Task Submit_on_a_released_version_of_a_non_volatile_index_is_refused_and_changes_nothing()
    {
        await _server.UploadWheelAsync("team/prod", "team", "demo", "1.0");
        using var submit = await PostAsync("team/prod", Distributions.Submit("demo", "1.0", ("requires_dist", "evil>=1")));
        submit.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await submit.Content.ReadAsStringAsync()).Should().Contain("demo 1.0").And.Contain("frozen").And.Contain("team/prod");
        (await VersionDataAsync("team/prod", "demo", "1.0"))["requires_dist"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Submit_before_any_file_and_on_volatile_indexes_still_works()
    {
        using var first = await PostAsync("team/prod", Distributions.Submit("early", "1.0", ("summary", "one")));
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        using var again = await PostAsync("team/prod", Distributions.Submit("early", "1.0", ("summary", "two")));
        again.StatusCode.Should().Be(HttpStatusCode.OK, "no file yet: nothing is frozen");
        await _server.UploadWheelAsync("team/dev", "team", "demo", "1.0");
        using var volatileSubmit = await PostAsync("team/dev", Distributions.Submit("demo", "1.0", ("requires_dist", "extra>=1")));
        volatileSubmit.StatusCode.Should().Be(HttpStatusCode.OK);
        (await VersionDataAsync("team/dev", "demo", "1.0"))["requires_dist"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("extra>=1");
    }

    [Fact]
    public async Task A_second_file_does_not_rewrite_frozen_metadata()
    {
        await _server.UploadWheelAsync("team/prod", "team", "demo", "1.0");
        var sdist = Distributions.Wheel("demo", "1.0", requiresPython: ">=3.12");
        using var other = await PostAsync("team/prod", Distributions.Form("demo", "1.0", sdist, "demo-1.0-py312-none-any.whl"));
        other.StatusCode.Should().Be(HttpStatusCode.OK, await other.Content.ReadAsStringAsync());
        (await VersionDataAsync("team/prod", "demo", "1.0"))["requires_python"]!.GetValue<string>().Should().Be(">=3.8");
    }

    [Fact]
    public async Task A_pep_440_equal_spelling_is_the_existing_release_on_a_non_volatile_index()
    {
        var wheel = await _server.UploadWheelAsync("team/prod", "team", "demo", "1.0");
        var other = Distributions.Wheel("demo", "1.0.0");
        using var conflict = await PostAsync("team/prod", Distributions.Form("demo", "1.0.0", other, Distributions.WheelName("demo", "1.0.0")));
        conflict.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await conflict.Content.ReadAsStringAsync()).Should().Contain("1.0.0").And.Contain("existing release 1.0");
        using var submit = await PostAsync("team/prod", Distributions.Submit("demo", "1.0.0"));
        submit.StatusCode.Should().Be(HttpStatusCode.Conflict);

        using var same = await PostAsync("team/prod", Distributions.Form("demo", "1.0", wheel, Distributions.WheelName("demo", "1.0")));
        same.StatusCode.Should().Be(HttpStatusCode.OK, "the same content again is accepted as before");

        using var list = await _server.SendAsync(HttpMethod.Get, "team/prod/demo");
        var versions = JsonNode.Parse(await list.Content.ReadAsStringAsync())!["result"]!.AsObject().Select(kv => kv.Key).ToList();
        versions.Should().Equal("1.0");
    }

    [Fact]
    public async Task Volatile_indexes_keep_both_spellings_as_today()
    {
        await _server.UploadWheelAsync("team/dev", "team", "demo", "1.0");
        await _server.UploadWheelAsync("team/dev", "team", "demo", "1.0.0");
    }

    [Fact]
    public async Task A_push_does_not_rewrite_frozen_metadata_nor_add_an_equal_spelling()
    {
        await _server.UploadWheelAsync("team/dev", "team", "demo", "1.0");
        var push = """{"name": "demo", "version": "1.0", "targetindex": "team/prod"}""";
        using (var first = await _server.SendAsync(HttpMethod.Post, "team/dev", "team", "team-pw", push))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        }
        using (var submit = await PostAsync("team/dev", Distributions.Submit("demo", "1.0", ("requires_dist", "added-after-qa"))))
        {
            submit.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        using (var again = await _server.SendAsync(HttpMethod.Post, "team/dev", "team", "team-pw", push))
        {
            again.StatusCode.Should().Be(HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        }
        (await VersionDataAsync("team/prod", "demo", "1.0"))["requires_dist"]!.AsArray().Should().BeEmpty();

        await _server.UploadWheelAsync("team/dev", "team", "demo", "1.0.0");
        using var equal = await _server.SendAsync(HttpMethod.Post, "team/dev", "team", "team-pw",
            """{"name": "demo", "version": "1.0.0", "targetindex": "team/prod"}""");
        equal.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await equal.Content.ReadAsStringAsync()).Should().Contain("existing release 1.0");
    }
}
