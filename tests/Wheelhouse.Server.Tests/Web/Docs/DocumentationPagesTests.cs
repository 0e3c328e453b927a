using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Docs;

/// <summary>Documentation served from uploaded zips over real HTTP: paths, types, sandbox headers, latest and stable, bases.</summary>
[Integration]
public sealed class DocumentationPagesTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice");
        await _server.CreateIndexAsync("alice", "dev", """{"volatile": true}""");
        await _server.CreateIndexAsync("alice", "child", """{"bases": ["alice/dev"]}""");
        await _server.UploadWheelAsync("alice/dev", "alice", "pkg", "1.0");
        await DocZips.UploadAsync(_server, "alice/dev", "alice", "pkg", "1.0", DocZips.Zip(
            ("index.html", "<html><body><h1>pkg 1.0 docs</h1></body></html>"),
            ("_static/style.css", "body { color: black }"),
            ("api/index.html", "<p>api</p>"),
            ("data.json", "{}"),
            ("../outside.html", "never served by this name")));
        await _server.UploadWheelAsync("alice/dev", "alice", "pkg", "2.0b1");
        await DocZips.UploadAsync(_server, "alice/dev", "alice", "pkg", "2.0b1", DocZips.Zip(("index.html", "<h1>pkg 2.0b1 docs</h1>")));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<HttpResponseMessage> Get(string path) => _server.Client.GetAsync(path.TrimStart('/'));

    [Fact]
    public async Task The_start_page_is_served_sandboxed_and_never_sniffed()
    {
        using var response = await Get("/alice/dev/pkg/1.0/+doc/");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("pkg 1.0 docs");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().StartWith("sandbox").And.Contain("script-src 'none'").And.NotContain("allow-same-origin").And.NotContain("allow-scripts");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.ETag.Should().NotBeNull();
        using var again = new HttpRequestMessage(HttpMethod.Get, "alice/dev/pkg/1.0/+doc/index.html");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await _server.Client.SendAsync(again);
        notModified.StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Theory]
    [InlineData("/alice/dev/pkg/1.0/+doc/_static/style.css", "text/css")]
    [InlineData("/alice/dev/pkg/1.0/+doc/data.json", "application/json")]
    [InlineData("/alice/dev/pkg/1.0/+doc/api/", "text/html")]
    public async Task Files_carry_the_content_type_of_their_name(string path, string type)
    {
        using var response = await Get(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(type);
    }

    [Fact]
    public async Task A_directory_and_the_bare_doc_url_redirect_to_their_index()
    {
        using var bare = await Get("/alice/dev/pkg/1.0/+doc");
        bare.StatusCode.Should().Be(HttpStatusCode.Redirect);
        bare.Headers.Location!.ToString().Should().Be("+doc/", "relative, so a path prefix in front is kept");
        new Uri(new Uri(_server.BaseUrl + "/alice/dev/pkg/1.0/+doc"), bare.Headers.Location).AbsolutePath.Should().Be("/alice/dev/pkg/1.0/+doc/");
        using var directory = await Get("/alice/dev/pkg/1.0/+doc/api");
        directory.StatusCode.Should().Be(HttpStatusCode.Redirect);
        new Uri(new Uri(_server.BaseUrl + "/alice/dev/pkg/1.0/+doc/api"), directory.Headers.Location!).AbsolutePath.Should().Be("/alice/dev/pkg/1.0/+doc/api/");
    }

    [Theory]
    [InlineData("/alice/dev/pkg/1.0/+doc/%2e%2e/outside.html")]
    [InlineData("/alice/dev/pkg/1.0/+doc/..%2foutside.html")]
    [InlineData("/alice/dev/pkg/1.0/+doc/api%5c..%5c..%5coutside.html")]
    [InlineData("/alice/dev/pkg/1.0/+doc/api/%2e%2e/%2e%2e/outside.html")]
    public async Task Traversal_never_reaches_a_file_outside_the_documentation(string path)
    {
        using var response = await Get(path);
        response.StatusCode.Should().BeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("never served");
    }

    [Fact]
    public async Task Latest_stable_and_a_child_index_find_the_right_zip()
    {
        (await (await Get("/alice/dev/pkg/latest/+doc/")).Content.ReadAsStringAsync()).Should().Contain("2.0b1");
        (await (await Get("/alice/dev/pkg/stable/+doc/")).Content.ReadAsStringAsync()).Should().Contain("pkg 1.0 docs");
        (await (await Get("/alice/child/pkg/1.0/+doc/")).Content.ReadAsStringAsync()).Should().Contain("pkg 1.0 docs");
    }

    [Theory]
    [InlineData("/alice/dev/pkg/3.0/+doc/", "not found")]
    [InlineData("/alice/dev/nope/1.0/+doc/", "not found")]
    [InlineData("/alice/nope/pkg/1.0/+doc/", "does not exist")]
    [InlineData("/alice/dev/pkg/1.0/+doc/missing.html", "missing.html is not in the documentation")]
    public async Task What_is_not_there_is_a_404_that_says_what(string path, string message)
    {
        using var response = await Get(path);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message);
    }

    [Fact]
    public async Task A_release_without_documentation_says_so()
    {
        await _server.UploadWheelAsync("alice/dev", "alice", "nodocs", "1.0");
        using var response = await Get("/alice/dev/nodocs/1.0/+doc/");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("has no documentation");
    }
}
