namespace Wheelhouse.Server.Tests.Web;

/// <summary>Hostile metadata is shown as text; the rendered description cannot run script.</summary>
public sealed class EscapingTests(WebSite site) : IClassFixture<WebSite>
{
    [Fact]
    public async Task Every_metadata_value_is_escaped_and_the_description_is_sanitized()
    {
        var page = await site.PageAsync("alice/dev/evil-pkg/6.6.6");
        page.Should().NotContain("<script>alert").And.NotContain("<img src=x onerror").And.NotContain("<img src=\"x\" onerror")
            .And.NotContain("href=\"javascript:").And.NotContain("src=\"data:");
        page.Should().Contain("&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;", "the summary is shown as text");
        page.Should().Contain("<h3>Title</h3>", "Markdown is rendered, its headings below the page's own").And.Contain("<strong>bold</strong>");
        page.Should().Contain("Evil: javascript:alert(&#39;url&#39;)", "a non-http project URL stays text");
        page.Should().Contain("href=\"https://example.com/src?a=1&amp;b=2\"");
        page.Should().Contain("Programming Language :: Python :: 3");
    }

    [Fact]
    public async Task Hostile_names_in_the_url_are_escaped_in_the_404_page()
    {
        using var response = await site.BrowseAsync("alice/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain("<script>alert(1)").And.Contain("&lt;script&gt;alert(1)");
    }
}
