using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary>
/// PEP 592 for a stage's own releases: <c>PATCH /{u}/{i}/{p}/{v}</c> with <c>{"yanked": ...}</c> marks a release on
/// every page that lists its files (simple pages of the index and of those inheriting from it, the find-links page,
/// devpi's JSON view); the files stay. The way a broken release leaves a non-volatile index.
/// </summary>
[Integration]
public sealed class YankTests : IAsyncLifetime
{
    private const string Reason = "crashes on start, use 1.0";
    private readonly string _work = Directory.CreateTempSubdirectory("wh-yank-").FullName;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateUserAsync("other");
        await _server.CreateIndexAsync("team", "prod", """{"volatile": false}""");
        await _server.CreateIndexAsync("team", "dev", """{"bases": ["team/prod"]}""");
        await _server.UploadWheelAsync("team/prod", "team", "yankme", "1.0");
        await _server.UploadWheelAsync("team/prod", "team", "yankme", "2.0");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_work, true);
    }

    private Task<HttpResponseMessage> PatchAsync(string version, string body, string? user = "team") =>
        _server.SendAsync(HttpMethod.Patch, $"team/prod/yankme/{version}", user, user is null ? null : user + "-pw", body);

    private async Task<string> LinkOf(string page, string version)
    {
        var html = await _server.Client.GetStringAsync(page);
        return html.Split('\n').Single(l => l.Contains(Distributions.WheelName("yankme", version) + "</a>", StringComparison.Ordinal));
    }

    private async Task<JsonNode?> YankedInViewAsync(string index, string version)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, $"{index}/yankme/{version}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["yanked"];
    }

    [Fact]
    public async Task A_yanked_release_is_marked_everywhere_pip_passes_over_it_and_unyanking_takes_the_mark_back()
    {
        using (var yank = await PatchAsync("2.0", $$"""{"yanked": "{{Reason}}"}"""))
        {
            yank.StatusCode.Should().Be(HttpStatusCode.OK, await yank.Content.ReadAsStringAsync());
            (await yank.Content.ReadAsStringAsync()).Should().Contain("yanked yankme 2.0 in team/prod");
        }

        foreach (var page in new[] { "team/prod/+simple/yankme/", "team/dev/+simple/yankme/", "team/dev/+links" })
        {
            (await LinkOf(page, "2.0")).Should().Contain($" data-yanked=\"{Reason}\"", page);
            (await LinkOf(page, "1.0")).Should().NotContain("data-yanked", page);
        }
        ((string?)await YankedInViewAsync("team/dev", "2.0")).Should().Be(Reason);
        var latest = (await Tool.PipDownloadAsync(_work, $"{_server.BaseUrl}/team/dev/+simple/", Path.Combine(_work, "latest"), "yankme")).ShouldSucceed();
        Directory.GetFiles(Path.Combine(_work, "latest")).Select(Path.GetFileName).Should().Equal([Distributions.WheelName("yankme", "1.0")], latest.Output);

        using (var unyank = await PatchAsync("2.0", """{"yanked": false}"""))
        {
            unyank.StatusCode.Should().Be(HttpStatusCode.OK);
            (await unyank.Content.ReadAsStringAsync()).Should().Contain("no longer yanked");
        }
        (await LinkOf("team/dev/+simple/yankme/", "2.0")).Should().NotContain("data-yanked");
        (await YankedInViewAsync("team/prod", "2.0")).Should().BeNull();
    }

    [Fact]
    public async Task Without_a_reason_the_json_page_says_true_and_yanking_twice_changes_nothing()
    {
        using (var first = await PatchAsync("2.0", """{"yanked": true}"""))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        using var again = await PatchAsync("2.0", """{"yanked": true}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, "team/prod/+simple/yankme/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var json = await _server.Client.SendAsync(request);

        (await again.Content.ReadAsStringAsync()).Should().Contain("already yanked");
        var files = JsonNode.Parse(await json.Content.ReadAsStringAsync())!["files"]!.AsArray();
        files.Single(f => (string?)f!["filename"] == Distributions.WheelName("yankme", "2.0"))!["yanked"]!.GetValue<bool>().Should().BeTrue();
        (await YankedInViewAsync("team/prod", "2.0"))!.GetValue<bool>().Should().BeTrue();
    }

    [Theory]
    [InlineData("team", """{"yanked": 3}""", HttpStatusCode.BadRequest, "{\\\"yanked\\\": \\\"the reason\\\"}")]
    [InlineData("team", """{"yanked": "x", "version": "3.0"}""", HttpStatusCode.BadRequest, "a release changes only by")]
    [InlineData("team", "not json", HttpStatusCode.BadRequest, "not valid JSON")]
    [InlineData("team", "", HttpStatusCode.BadRequest, "must be a JSON object")]
    [InlineData(null, """{"yanked": "x"}""", HttpStatusCode.Unauthorized, "may not yank releases in team/prod")]
    [InlineData("other", """{"yanked": "x"}""", HttpStatusCode.Forbidden, "may not yank releases in team/prod")]
    public async Task Bad_requests_and_users_without_upload_rights_change_nothing(string? user, string body, HttpStatusCode status, string message)
    {
        using var response = await PatchAsync("2.0", body, user);

        response.StatusCode.Should().Be(status);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await YankedInViewAsync("team/prod", "2.0")).Should().BeNull();
    }

    [Fact]
    public async Task An_unknown_version_a_too_long_reason_and_a_mirror_are_refused_saying_why()
    {
        using var unknown = await PatchAsync("3.0", """{"yanked": "x"}""");
        using var tooLong = await PatchAsync("2.0", $$"""{"yanked": "{{new string('x', 501)}}"}""");
        using var mirror = await _server.SendAsync(HttpMethod.Patch, "root/pypi/requests/2.0", "root", TestServer.RootPassword, """{"yanked": "x"}""");

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("yankme 3.0 not found in team/prod");
        tooLong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await tooLong.Content.ReadAsStringAsync()).Should().Contain("at most 500");
        mirror.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await mirror.Content.ReadAsStringAsync()).Should().Contain("where its upstream yanks them");
        (await YankedInViewAsync("team/prod", "2.0")).Should().BeNull();
    }

    [Fact]
    public async Task The_version_page_says_the_release_is_yanked_and_why_as_text()
    {
        using (var yank = await PatchAsync("2.0", """{"yanked": "<script>alert(1)</script> broke"}"""))
        {
            yank.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var yanked = await PageAsync("team/prod/yankme/2.0");
        var kept = await PageAsync("team/prod/yankme/1.0");

        yanked.Should().Contain("<span class=\"tag yanked\">yanked</span>")
            .And.Contain("This release is yanked: &lt;script&gt;alert(1)&lt;/script&gt; broke.").And.NotContain("<script>alert(1)");
        kept.Should().NotContain("This release is yanked");
    }

    private async Task<string> PageAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await _server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Registering_the_version_again_keeps_the_mark_and_a_push_copies_it()
    {
        await _server.CreateIndexAsync("team", "scratch");
        await _server.UploadWheelAsync("team/scratch", "team", "yankme", "2.0");
        using (var yank = await _server.SendAsync(HttpMethod.Patch, "team/scratch/yankme/2.0", "team", "team-pw", """{"yanked": "old"}"""))
        {
            yank.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        var submit = new HttpRequestMessage(HttpMethod.Post, "team/scratch/") { Content = Distributions.Submit("yankme", "2.0", ("summary", "new summary")) };
        submit.Headers.Authorization = TestServer.Basic("team", "team-pw");
        using (var registered = await _server.Client.SendAsync(submit))
        {
            registered.StatusCode.Should().Be(HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        }

        ((string?)await YankedInViewAsync("team/scratch", "2.0")).Should().Be("old");
        await _server.CreateIndexAsync("team", "qa");
        using (var push = await _server.SendAsync(HttpMethod.Post, "team/scratch", "team", "team-pw",
            """{"name": "yankme", "version": "2.0", "targetindex": "team/qa"}"""))
        {
            push.StatusCode.Should().Be(HttpStatusCode.OK, await push.Content.ReadAsStringAsync());
        }
        ((string?)await YankedInViewAsync("team/qa", "2.0")).Should().Be("old", "a push copies the mark with the release");
    }
}
