using System.Net.Http.Headers;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web;

/// <summary>
/// One server with a small catalogue for the page tests: alice/base (non-volatile) under alice/dev, versions in both,
/// a package with hostile metadata, and names for search ordering.
/// </summary>
public sealed class WebSite : IAsyncLifetime
{
    public const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(o => o with
        {
            Theme = o.Theme with { Company = "Acme <Packages>", PrimaryColor = "#123456", Footer = "Internal use & fun" },
        });
        await Server.CreateUserAsync("alice");
        await Server.CreateIndexAsync("alice", "base", """{"volatile": false, "title": "Shared pool", "description": "QA-gated"}""");
        await Server.CreateIndexAsync("alice", "dev", """{"bases": ["alice/base"], "acl_upload": ["alice", ":qa"]}""");
        await Server.UploadWheelAsync("alice/base", "alice", "hello-world", "1.0");
        await Server.UploadWheelAsync("alice/dev", "alice", "hello-world", "2.0rc1");
        await Server.UploadWheelAsync("alice/dev", "alice", "hello-world", "1.5");
        await Submit("alice/dev", Distributions.Submit("hello", "0.1", ("summary", "The plain hello")));
        await Submit("alice/dev", Distributions.Submit("greeter", "1.0", ("summary", "Says <b>hello</b> politely")));
        await Submit("alice/dev", Distributions.Submit("evil-pkg", "6.6.6",
            ("summary", "<script>alert('summary')</script>"),
            ("author", "\"><img src=x onerror=alert('author')>"),
            ("description_content_type", "text/markdown"),
            ("description", "# Title\n\n<script>alert('raw')</script>\n\n<img src=x onerror=alert('img')>\n\n"
                + "[click](javascript:alert('link')) ![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) **bold**"),
            ("project_urls", "Evil, javascript:alert('url')"),
            ("project_urls", "Source, https://example.com/src?a=1&b=2"),
            ("classifiers", "Programming Language :: Python :: 3")));
    }

    public async Task Submit(string index, MultipartFormDataContent form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, index + "/") { Content = form };
        request.Headers.Authorization = TestServer.Basic("alice", "alice-pw");
        using var response = await Server.Client.SendAsync(request);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> BrowseAsync(string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Accept.ParseAdd(BrowserAccept);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await Server.Client.SendAsync(request);
    }

    /// <summary>The page's HTML; fails unless it is a 200 HTML page.</summary>
    public async Task<string> PageAsync(string path, params (string Name, string Value)[] headers)
    {
        using var response = await BrowseAsync(path, headers);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        return body;
    }

    public static MediaTypeWithQualityHeaderValue Json => new("application/json");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
