using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary>The simple API over the spec's team layout: team/dev → team/staging → shared/stable → shared/stable-local.</summary>
[Integration]
public sealed class SimpleApiTests : IAsyncLifetime
{
    private const string JsonType = "application/vnd.pypi.simple.v1+json";
    private TestServer _server = null!;
    private byte[] _stableWheel = null!;
    private byte[] _devWheel = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateUserAsync("shared");
        await _server.CreateIndexAsync("shared", "stable-local", """{"volatile": false}""");
        await _server.CreateIndexAsync("shared", "stable", """{"bases": "shared/stable-local"}""");
        await _server.CreateIndexAsync("team", "staging", """{"bases": ["shared/stable"], "volatile": false}""");
        await _server.CreateIndexAsync("team", "dev", """{"bases": "team/staging"}""");
        _stableWheel = Distributions.Wheel("My_Pkg", "1.0", requiresPython: ">=3.8,<4");
        _devWheel = Distributions.Wheel("My_Pkg", "2.0.dev1");
        await UploadAsync("shared", "stable-local", "My_Pkg", "1.0", _stableWheel);
        await UploadAsync("team", "dev", "My_Pkg", "2.0.dev1", _devWheel);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task UploadAsync(string user, string index, string name, string version, byte[] wheel)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{user}/{index}/") { Content = Distributions.Form(name, version, wheel, Distributions.WheelName(name, version)) };
        request.Headers.Authorization = TestServer.Basic(user, user + "-pw");
        using var response = await _server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept = null, string? userAgent = null, params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }
        foreach (var (k, v) in headers)
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }
        return await _server.Client.SendAsync(request);
    }

    [Fact]
    public async Task Html_page_lists_files_from_the_whole_resolution_order_with_hashes_and_metadata()
    {
        using var response = await GetAsync("team/dev/+simple/my-pkg/");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        response.Headers.Vary.Should().Contain("Accept");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain($"href=\"../../../../shared/stable-local/+f/{Distributions.Sha256(_stableWheel)[..3]}/{Distributions.Sha256(_stableWheel)[3..16]}/My_Pkg-1.0-py3-none-any.whl#sha256={Distributions.Sha256(_stableWheel)}\"");
        html.Should().Contain("#sha256=" + Distributions.Sha256(_devWheel));
        html.Should().Contain("data-requires-python=\"&gt;=3.8,&lt;4\"");
        html.Should().Contain("data-core-metadata=\"sha256=").And.Contain("data-dist-info-metadata=\"sha256=");
    }

    [Fact]
    public async Task Json_page_has_pep691_pep700_fields_and_the_union_of_versions()
    {
        using var response = await GetAsync("team/dev/+simple/my-pkg/", "application/vnd.pypi.simple.v1+json, text/html;q=0.1");
        response.Content.Headers.ContentType!.MediaType.Should().Be(JsonType);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        json["meta"]!["api-version"]!.GetValue<string>().Should().Be("1.1");
        json["name"]!.GetValue<string>().Should().Be("my-pkg");
        json["versions"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("1.0", "2.0.dev1");
        var file = json["files"]!.AsArray().Single(f => f!["filename"]!.GetValue<string>() == "My_Pkg-1.0-py3-none-any.whl")!;
        file["hashes"]!["sha256"]!.GetValue<string>().Should().Be(Distributions.Sha256(_stableWheel));
        file["size"]!.GetValue<long>().Should().Be(_stableWheel.Length);
        file["requires-python"]!.GetValue<string>().Should().Be(">=3.8,<4");
        file["upload-time"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$");
        file["core-metadata"]!["sha256"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{64}$");
        var url = new Uri(new Uri(_server.BaseUrl + "/team/dev/+simple/my-pkg/"), file["url"]!.GetValue<string>());
        using var download = await _server.Client.GetAsync(url);
        download.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("text/html", "text/html")]
    [InlineData("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.v1+html")]
    [InlineData("application/vnd.pypi.simple.latest+json", JsonType)]
    [InlineData("text/html;q=0.2, application/vnd.pypi.simple.v1+json;q=0.9", JsonType)]
    [InlineData("*/*", "text/html")]
    public async Task Content_negotiation_follows_pep691(string accept, string expected)
    {
        using var response = await GetAsync("team/dev/+simple/my-pkg/", accept);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(expected);
    }

    [Fact]
    public async Task Head_on_a_project_page_gives_its_length_without_a_body()
    {
        var full = await (await GetAsync("team/dev/+simple/my-pkg/")).Content.ReadAsByteArrayAsync();
        using var head = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "team/dev/+simple/my-pkg/"));
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        head.Content.Headers.ContentLength.Should().Be(full.Length);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Unacceptable_media_type_is_406()
    {
        using var response = await GetAsync("team/dev/+simple/my-pkg/", "image/png");
        response.StatusCode.Should().Be(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task First_index_with_a_file_name_wins_and_metadata_is_served_beside_wheels()
    {
        using var response = await GetAsync("team/dev/+simple/my-pkg/", JsonType);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var file = json["files"]!.AsArray().First()!;
        var url = new Uri(new Uri(_server.BaseUrl + "/team/dev/+simple/my-pkg/"), file["url"]!.GetValue<string>() + ".metadata");
        var metadata = await _server.Client.GetByteArrayAsync(url);
        Distributions.Sha256(metadata).Should().Be(file["core-metadata"]!["sha256"]!.GetValue<string>());
        System.Text.Encoding.UTF8.GetString(metadata).Should().Contain("Name: My_Pkg");
    }

    [Fact]
    public async Task Project_list_is_the_union_over_bases()
    {
        var html = await (await GetAsync("team/staging/+simple/")).Content.ReadAsStringAsync();
        html.Should().Contain("<a href=\"my-pkg/\">My_Pkg</a>");
        var noSlash = await (await GetAsync("team/staging/+simple")).Content.ReadAsStringAsync();
        noSlash.Should().Contain("<a href=\"+simple/my-pkg/\">");
        var json = JsonNode.Parse(await (await GetAsync("team/dev/+simple/", JsonType)).Content.ReadAsStringAsync())!;
        json["projects"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Should().Equal("My_Pkg");
    }

    [Fact]
    public async Task Staging_does_not_see_dev_uploads()
    {
        var json = JsonNode.Parse(await (await GetAsync("team/staging/+simple/my-pkg/", JsonType)).Content.ReadAsStringAsync())!;
        json["versions"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("1.0");
    }

    [Fact]
    public async Task Non_normalized_names_redirect_browsers_but_not_installers()
    {
        using var browser = await GetAsync("team/dev/+simple/My_Pkg/", "text/html");
        browser.StatusCode.Should().Be(HttpStatusCode.Found);
        browser.Headers.Location!.ToString().Should().Be("../my-pkg/");
        using var pip = await GetAsync("team/dev/+simple/My_Pkg/", userAgent: "pip/23.0.1 {\"ci\":null}");
        pip.StatusCode.Should().Be(HttpStatusCode.OK);
        (await pip.Content.ReadAsStringAsync()).Should().Contain("My_Pkg-1.0-py3-none-any.whl");
    }

    [Fact]
    public async Task Installers_get_the_simple_page_on_the_project_url_too()
    {
        using var response = await GetAsync("team/dev/my-pkg/", userAgent: "uv/0.4.0");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("href=\"../../../shared/stable-local/+f/");
    }

    [Fact]
    public async Task Percent_encoded_plus_f_links_download()
    {
        var sha = Distributions.Sha256(_stableWheel);
        using var response = await GetAsync($"shared/stable-local/%2Bf/{sha[..3]}/{sha[3..16]}/My_Pkg-1.0-py3-none-any.whl");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        Distributions.Sha256(await response.Content.ReadAsByteArrayAsync()).Should().Be(sha);
    }

    [Fact]
    public async Task Project_and_version_json_views()
    {
        var project = JsonNode.Parse(await (await GetAsync("team/dev/my-pkg", "application/json")).Content.ReadAsStringAsync())!;
        project["type"]!.GetValue<string>().Should().Be("projectconfig");
        project["result"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("1.0", "2.0.dev1");
        var link = project["result"]!["1.0"]!["+links"]![0]!;
        link["rel"]!.GetValue<string>().Should().Be("releasefile");
        link["hash_spec"]!.GetValue<string>().Should().Be("sha256=" + Distributions.Sha256(_stableWheel));
        link["href"]!.GetValue<string>().Should().StartWith(_server.BaseUrl + "/shared/stable-local/+f/");
        project["result"]!["1.0"]!["requires_python"]!.GetValue<string>().Should().Be(">=3.8,<4");

        var own = JsonNode.Parse(await (await GetAsync("team/dev/my-pkg?ignore_bases", "application/json")).Content.ReadAsStringAsync())!;
        own["result"]!.AsObject().Select(p => p.Key).Should().Equal("2.0.dev1");

        var version = JsonNode.Parse(await (await GetAsync("team/dev/my-pkg/1.0", "application/json")).Content.ReadAsStringAsync())!;
        version["type"]!.GetValue<string>().Should().Be("versiondata");
        version["result"]!["version"]!.GetValue<string>().Should().Be("1.0");
    }

    [Fact]
    public async Task Unknown_project_is_404()
    {
        using var response = await GetAsync("team/dev/+simple/nothing-here/");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Non_volatile_delete_needs_force_by_owner()
    {
        using var plain = await _server.SendAsync(HttpMethod.Delete, "shared/stable-local/my-pkg/1.0", "shared", "shared-pw");
        plain.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var forced = await _server.SendAsync(HttpMethod.Delete, "shared/stable-local/my-pkg/1.0?force", "shared", "shared-pw");
        forced.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = JsonNode.Parse(await (await GetAsync("team/dev/+simple/my-pkg/", JsonType)).Content.ReadAsStringAsync())!;
        json["versions"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("2.0.dev1");
    }
}
