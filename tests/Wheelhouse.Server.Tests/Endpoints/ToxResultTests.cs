using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary>
/// <c>devpi test</c>'s last step: tox's JSON report posted to the URL of the release file it tested. Stored beside the
/// file as devpi stores it, shown in the version's <c>+links</c> (<c>rel: toxresult</c>, <c>for_href</c>) and copied by
/// a push; a refused result changes nothing.
/// </summary>
[Integration]
public sealed class ToxResultTests : IAsyncLifetime
{
    // What tox 3's --result-json writes (and devpi test posts), trimmed.
    private const string Report = """
        {"reportversion": "1", "toxversion": "3.28.0", "platform": "linux", "host": "ci-7",
         "installpkg": {"basename": "tested-1.0-py3-none-any.whl", "sha256": "0", "md5": "0"},
         "testenvs": {"py311": {"test": [{"command": ["pytest"], "retcode": "0", "output": "3 passed"}],
                                "python": {"version": "3.11.2", "executable": "/usr/bin/python3"}}}}
        """;

    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateUserAsync("other");
        await _server.CreateIndexAsync("team", "prod", """{"volatile": false}""");
        await _server.CreateIndexAsync("team", "ci", """{"acl_toxresult_upload": ["team"]}""");
        await _server.CreateIndexAsync("team", "release", """{"volatile": false}""");
        await _server.CreateIndexAsync("team", "mirror", """{"type": "mirror", "mirror_url": "http://127.0.0.1:9/simple/"}""");
        await _server.UploadWheelAsync("team/prod", "team", "tested", "1.0");
        await _server.UploadWheelAsync("team/ci", "team", "tested", "1.0");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonArray> LinksAsync(string index)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, $"{index}/tested/1.0");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["+links"]!;
    }

    private async Task<string> WheelUrlAsync(string index) =>
        (string)(await LinksAsync(index)).Single(l => (string?)l!["rel"] == "releasefile")!["href"]!;

    private async Task<HttpResponseMessage> PostAsync(string url, string body, string? user = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (user is not null)
        {
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{user}-pw")));
        }
        return await _server.Client.SendAsync(request);
    }

    [Fact]
    public async Task Anyone_may_attach_a_result_to_a_release_of_a_non_volatile_index_and_the_version_lists_it_for_the_file()
    {
        var wheel = await WheelUrlAsync("team/prod");

        using var first = await PostAsync(wheel, Report);
        using var second = await PostAsync(wheel, Report.Replace("3 passed", "2 passed, 1 failed", StringComparison.Ordinal));

        first.StatusCode.Should().Be(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var answer = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        ((string?)answer["type"]).Should().Be("toxresultpath");
        ((string)answer["result"]!).Should().StartWith("team/prod/+f/").And.MatchRegex(@"/tested-1\.0-py3-none-any\.whl\.toxresult-\d{14}-0$");
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        ((string)JsonNode.Parse(await second.Content.ReadAsStringAsync())!["result"]!).Should().EndWith("-1", "each result of a file is numbered");

        var results = (await LinksAsync("team/prod")).Where(l => (string?)l!["rel"] == "toxresult").ToList();
        results.Should().HaveCount(2);
        results.Should().AllSatisfy(r => ((string?)r!["for_href"]).Should().Be(wheel));
        ((string?)results[0]!["log"]![0]!["what"]).Should().Be("upload");
        results[0]!["log"]![0]!.AsObject().ContainsKey("who").Should().BeFalse("nobody logged in");
        var stored = await _server.Client.GetStringAsync((string)results.Single(r => ((string)r!["href"]!).EndsWith("-0", StringComparison.Ordinal))!["href"]!);
        stored.Should().Be(Report, "the report is kept as it was sent");
    }

    [Fact]
    public async Task The_version_page_shows_each_environments_result_escaped_with_a_link_to_the_report()
    {
        var wheel = await WheelUrlAsync("team/prod");
        var failing = """
            {"host": "ci-8", "platform": "linux", "testenvs": {
              "<b>lint</b>": {"setup": [{"retcode": 0}], "test": [{"retcode": 1}], "python": {"version": "3.13.1 (main) [GCC 14]"}},
              "docs": {"setup": [{"retcode": 0}]}}}
            """;
        using (var passed = await PostAsync(wheel, Report))
        using (var failed = await PostAsync(wheel, failing))
        using (var garbled = await PostAsync(wheel, """{"testenvs": "none"}"""))
        {
            new[] { passed, failed, garbled }.Should().AllSatisfy(r => r.StatusCode.Should().Be(HttpStatusCode.OK));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "team/prod/tested/1.0");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var page = await _server.Client.SendAsync(request);
        var html = await page.Content.ReadAsStringAsync();

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var section = html[html.IndexOf("Test results", StringComparison.Ordinal)..];
        var rows = section[..section.IndexOf("</section>", StringComparison.Ordinal)].Split("</tr>").Where(r => r.Contains("<td>", StringComparison.Ordinal)).ToList();
        rows.Should().HaveCount(4, "one row per environment: py311; docs and lint; the report without environments");
        rows.Should().ContainSingle(r => r.Contains("<td>py311</td><td>3.11.2</td><td>ci-7 linux</td>", StringComparison.Ordinal) && r.Contains(">passed</a>", StringComparison.Ordinal));
        rows.Should().ContainSingle(r => r.Contains("<td>&lt;b&gt;lint&lt;/b&gt;</td><td>3.13.1</td>", StringComparison.Ordinal) && r.Contains(">failed</a>", StringComparison.Ordinal));
        rows.Should().ContainSingle(r => r.Contains("<td>docs</td>", StringComparison.Ordinal) && r.Contains(">not run</a>", StringComparison.Ordinal));
        rows.Should().ContainSingle(r => r.Contains(">no environments</a>", StringComparison.Ordinal));
        rows.Should().AllSatisfy(r => r.Should().Contain("<td>tested-1.0-py3-none-any.whl</td>").And.Contain(".whl.toxresult-"));
        html.Should().NotContain("<b>lint</b>");
    }

    [Fact]
    public async Task A_push_copies_the_results_with_the_file_they_belong_to()
    {
        using (var posted = await PostAsync(await WheelUrlAsync("team/prod"), Report, "team"))
        {
            posted.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var push = await _server.SendAsync(new HttpMethod("PUSH"), "team/prod", "team", "team-pw",
            """{"name": "tested", "version": "1.0", "targetindex": "team/release"}""");

        push.StatusCode.Should().Be(HttpStatusCode.OK, await push.Content.ReadAsStringAsync());
        var copied = (await LinksAsync("team/release")).Single(l => (string?)l!["rel"] == "toxresult");
        ((string?)copied!["for_href"]).Should().Be(await WheelUrlAsync("team/release"));
        ((string?)copied["log"]![0]!["who"]).Should().Be("team");
    }

    [Fact]
    public async Task Deleting_the_tested_file_deletes_its_results()
    {
        var wheel = await WheelUrlAsync("team/ci");
        using (var posted = await PostAsync(wheel, Report, "team"))
        {
            posted.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var deleted = await _server.SendAsync(HttpMethod.Delete, wheel, "team", "team-pw");

        deleted.StatusCode.Should().Be(HttpStatusCode.OK, await deleted.Content.ReadAsStringAsync());
        (await deleted.Content.ReadAsStringAsync()).Should().Contain("and its 1 test result(s)");
        (await LinksAsync("team/ci")).Should().BeEmpty();
    }

    [Fact]
    public async Task Refused_results_say_why_and_change_nothing()
    {
        var wheel = await WheelUrlAsync("team/ci");
        var before = (await LinksAsync("team/ci")).ToJsonString();
        var sha = wheel.Split("/+f/")[1];

        var refusals = new (string Url, string Body, string? User, HttpStatusCode Status, string Says)[]
        {
            (wheel, "3 passed", "team", HttpStatusCode.BadRequest, "not valid JSON"),
            (wheel, "[1, 2]", "team", HttpStatusCode.BadRequest, "not an object"),
            (wheel, Report, null, HttpStatusCode.Unauthorized, "acl_toxresult_upload"),
            (wheel, Report, "other", HttpStatusCode.Forbidden, "acl_toxresult_upload"),
            (wheel.Replace("tested-1.0", "tested-9.0", StringComparison.Ordinal), Report, "team", HttpStatusCode.NotFound, "no release file tested-9.0"),
            (wheel.Replace(sha[..3], "fff", StringComparison.Ordinal), Report, "team", HttpStatusCode.NotFound, "no release file"),
            (wheel, new string(' ', 5 << 20), "team", HttpStatusCode.RequestEntityTooLarge, "at most 4 MiB"),
            ($"{_server.BaseUrl}/team/mirror/+f/{sha}", Report, "team", HttpStatusCode.Conflict, "is a mirror"),
            ($"{_server.BaseUrl}/team/none/+f/{sha}", Report, "team", HttpStatusCode.NotFound, "team/none"),
        };
        foreach (var (url, body, user, status, says) in refusals)
        {
            using var response = await PostAsync(url, body, user);
            response.StatusCode.Should().Be(status, url);
            (await response.Content.ReadAsStringAsync()).Should().Contain(says);
        }

        (await LinksAsync("team/ci")).ToJsonString().Should().Be(before);
        using var allowed = await PostAsync(wheel, Report, "team");
        allowed.StatusCode.Should().Be(HttpStatusCode.OK, "the team is in acl_toxresult_upload");
    }
}
