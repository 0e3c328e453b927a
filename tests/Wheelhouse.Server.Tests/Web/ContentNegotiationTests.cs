using System.Net;
using System.Text.Json.Nodes;

namespace Wheelhouse.Server.Tests.Web;

/// <summary>The same URLs answer JSON (or the simple page) to every client that does not prefer HTML, as before.</summary>
public sealed class ContentNegotiationTests(WebSite site) : IClassFixture<WebSite>
{
    [Theory]
    [InlineData("")]
    [InlineData("alice/dev")]
    [InlineData("alice/dev/hello-world")]
    [InlineData("alice/dev/hello-world/1.5")]
    [InlineData("alice")]
    public async Task Json_clients_get_the_devpi_json_view(string path)
    {
        foreach (var accept in new[] { null, "application/json", "*/*", "application/json, text/html;q=0.5" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }
            using var response = await site.Server.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"Accept: {accept}: {body}");
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/json", $"Accept: {accept}");
            JsonNode.Parse(body)!["result"].Should().NotBeNull();
        }
    }

    [Fact]
    public async Task Installers_asking_for_html_at_a_project_url_still_get_the_simple_api()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "alice/dev/hello-world/");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        request.Headers.TryAddWithoutValidation("User-Agent", "pip/24.0 {\"installer\":{\"name\":\"pip\"}}");
        using var response = await site.Server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain("How to use this index");
        body.Should().Contain("hello_world-1.5-py3-none-any.whl");
    }

    [Fact]
    public async Task Pips_simple_api_preference_keeps_json_and_a_browser_gets_html()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "alice/dev/+simple/hello-world/");
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01");
        using var simple = await site.Server.Client.SendAsync(request);
        simple.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.pypi.simple.v1+json");

        var page = await site.PageAsync("alice/dev");
        page.Should().Contain("<h1>alice/dev");
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers()
    {
        foreach (var path in new[] { "", "alice/dev", "alice/dev/hello-world", "alice/dev/hello-world/1.5", "+search?q=hello", "alice/nope" })
        {
            using var response = await site.BrowseAsync(path);
            response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'").And.NotContain("unsafe-inline");
            response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
            response.Headers.GetValues("Referrer-Policy").Single().Should().Be("same-origin");
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/html", path);
        }
    }

    [Fact]
    public async Task Missing_things_are_html_404_pages_for_browsers_and_json_404s_for_clients()
    {
        using var page = await site.BrowseAsync("alice/nope");
        page.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await page.Content.ReadAsStringAsync()).Should().Contain("index alice/nope does not exist");
        using var version = await site.BrowseAsync("alice/dev/hello-world/9.9");
        version.StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var json = await site.Server.Client.GetAsync("alice/nope");
        json.StatusCode.Should().Be(HttpStatusCode.NotFound);
        json.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
    }
}
