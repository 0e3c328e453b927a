using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

[Integration]
public sealed class FileAndProxyTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private byte[] _wheel = null!;
    private string _path = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "dev");
        _wheel = Distributions.Wheel("files-demo", "1.0");
        var request = new HttpRequestMessage(HttpMethod.Post, "team/dev/") { Content = Distributions.Form("files-demo", "1.0", _wheel, Distributions.WheelName("files-demo", "1.0")) };
        request.Headers.Authorization = TestServer.Basic("team", "team-pw");
        (await _server.Client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
        var sha = Distributions.Sha256(_wheel);
        _path = $"team/dev/+f/{sha[..3]}/{sha[3..16]}/{Distributions.WheelName("files-demo", "1.0")}";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Download_has_immutable_cache_headers_and_a_real_content_type()
    {
        using var response = await _server.Client.GetAsync(_path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.NonValidated["Cache-Control"].ToString().Should().Be("max-age=365000000, immutable, public");
        response.Headers.Vary.Should().Equal("Accept");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/zip");
        response.Content.Headers.ContentLength.Should().Be(_wheel.Length);
        response.Content.Headers.LastModified.Should().NotBeNull();
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(_wheel);
    }

    [Fact]
    public async Task Head_gives_headers_without_body()
    {
        using var response = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, _path));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().Be(_wheel.Length);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Range_requests_get_partial_content()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _path);
        request.Headers.Range = new RangeHeaderValue(10, 19);
        using var response = await _server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(_wheel[10..20]);
        response.Content.Headers.ContentRange!.Length.Should().Be(_wheel.Length);
    }

    [Fact]
    public async Task Json_file_view_has_hashes_and_project()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _path);
        request.Headers.Accept.ParseAdd("application/json");
        var json = JsonNode.Parse(await (await _server.Client.SendAsync(request)).Content.ReadAsStringAsync())!;
        json["hash_spec"]!.GetValue<string>().Should().Be("sha256=" + Distributions.Sha256(_wheel));
        json["project"]!.GetValue<string>().Should().Be("files-demo");
        json["version"]!.GetValue<string>().Should().Be("1.0");
    }

    [Theory]
    [InlineData("team/dev/+f/000/0000000000000/files_demo-1.0-py3-none-any.whl")]
    [InlineData("team/dev/+f/..%2F../x/files_demo-1.0-py3-none-any.whl")]
    [InlineData("team/other/+f/abc/defdefdefdefd/files_demo-1.0-py3-none-any.whl")]
    public async Task Wrong_hash_or_path_is_404(string path)
    {
        using var response = await _server.Client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task X_Outside_Url_sets_absolute_links()
    {
        var request = _server.Request(HttpMethod.Get, "team/dev/+api");
        request.Headers.Add("X-Outside-URL", "https://pypi.example.com/wh/");
        var json = JsonNode.Parse(await (await _server.Client.SendAsync(request)).Content.ReadAsStringAsync())!;
        json["result"]!["login"]!.GetValue<string>().Should().Be("https://pypi.example.com/wh/+login");
        json["result"]!["simpleindex"]!.GetValue<string>().Should().Be("https://pypi.example.com/wh/team/dev/+simple/");
    }

    [Fact]
    public async Task X_Forwarded_headers_set_absolute_links()
    {
        var request = _server.Request(HttpMethod.Get, "team/dev/files-demo");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "index.corp");
        request.Headers.Add("X-Forwarded-Prefix", "/pypi");
        var json = JsonNode.Parse(await (await _server.Client.SendAsync(request)).Content.ReadAsStringAsync())!;
        json["result"]!["1.0"]!["+links"]![0]!["href"]!.GetValue<string>().Should().StartWith("https://index.corp/pypi/team/dev/+f/");
    }

    [Fact]
    public async Task Simple_links_stay_relative_behind_a_proxy()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "team/dev/+simple/files-demo/");
        request.Headers.Add("X-Outside-URL", "https://pypi.example.com/wh/");
        var html = await (await _server.Client.SendAsync(request)).Content.ReadAsStringAsync();
        html.Should().Contain("href=\"../../../../team/dev/+f/").And.NotContain("127.0.0.1");
    }

    [Fact]
    public async Task Deleting_a_file_needs_the_upload_right()
    {
        await _server.CreateUserAsync("other");
        using var denied = await _server.SendAsync(HttpMethod.Delete, _path, "other", "other-pw");
        denied.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var deleted = await _server.SendAsync(HttpMethod.Delete, _path, "team", "team-pw");
        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        (await _server.Client.GetAsync(_path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
