using System.Text.RegularExpressions;

namespace Wheelhouse.Server.Tests.Web;

/// <summary>Search: exact name, then name prefix, then text; words highlighted and escaped; one index's view.</summary>
public sealed partial class SearchPageTests(WebSite site) : IClassFixture<WebSite>
{
    [Fact]
    public async Task Exact_name_comes_first_then_prefixes_then_text_matches_highlighted()
    {
        var page = await site.PageAsync("+search?q=hello");
        Results(page).Should().Equal("hello", "hello-world", "hello-world", "greeter");
        page.Should().Contain("<mark>hello</mark>-world");
        page.Should().Contain("Says &lt;b&gt;<mark>hello</mark>&lt;/b&gt; politely", "a summary is escaped around its highlights");
    }

    [Fact]
    public async Task A_scoped_search_sees_the_index_and_its_bases_only()
    {
        var base_ = await site.PageAsync("+search?q=hello&index=alice/base");
        Results(base_).Should().Equal("hello-world");
        var page = await site.PageAsync("+search?q=greeter&index=alice/dev");
        Results(page).Should().Equal("greeter");
        page.Should().Contain("name=\"index\" value=\"alice/dev\"", "the search box stays in the index");
    }

    [Fact]
    public async Task A_search_for_the_newest_upload_finds_it_at_once()
    {
        await site.Submit("alice/dev", Wheelhouse.Server.Tests.Support.Distributions.Submit("fresh-zebra", "1.0", ("summary", "striped")));
        Results(await site.PageAsync("+search?q=striped")).Should().Equal("fresh-zebra");
    }

    [Fact]
    public async Task Bad_searches_are_told_what_to_do()
    {
        using var tooLong = await site.BrowseAsync("+search?q=" + new string('a', 300));
        tooLong.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        (await tooLong.Content.ReadAsStringAsync()).Should().Contain("use at most 200");
        using var missing = await site.BrowseAsync("+search?q=x&index=alice/nope");
        missing.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        Results(await site.PageAsync("+search?q=%22OR%20NEAR(")).Should().BeEmpty();
    }

    private static List<string> Results(string page) =>
        ResultLink().Matches(page).Select(m => Regex.Replace(m.Groups[1].Value, "<[^>]+>", "")).ToList();

    [GeneratedRegex("<li><a href=\"[^\"]+\">(.*?)</a>")]
    private static partial Regex ResultLink();
}
