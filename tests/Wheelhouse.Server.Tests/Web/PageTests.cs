using System.Text.RegularExpressions;

namespace Wheelhouse.Server.Tests.Web;

/// <summary>The pages show what the index holds and link to each other; the how-to uses the URL the browser used.</summary>
public sealed partial class PageTests(WebSite site) : IClassFixture<WebSite>
{
    private string Root => site.Server.BaseUrl;

    [Fact]
    public async Task Home_lists_users_and_indexes_with_titles_and_links_to_them()
    {
        var home = await site.PageAsync("");
        home.Should().Contain($"href=\"{Root}/alice/dev\"").And.Contain($"href=\"{Root}/alice/base\"");
        home.Should().Contain("Shared pool").And.Contain("QA-gated");
        home.Should().Contain("action=\"" + Root + "/+search\"");
    }

    [Fact]
    public async Task Index_page_shows_its_configuration_chain_and_projects_with_their_latest_version()
    {
        var page = await site.PageAsync("alice/dev");
        page.Should().Contain($"<a href=\"{Root}/alice/base\">alice/base</a>", "bases are followable");
        page.Should().Contain("<code>alice</code>, <code>:qa</code>", "acl_upload users and groups are shown");
        page.Should().Contain($"href=\"{Root}/alice/dev/hello-world\"");
        page.Should().Contain($"href=\"{Root}/alice/dev/hello-world/2.0rc1\">2.0rc1</a>", "2.0rc1 is the newest by PEP 440");
        var basePage = await site.PageAsync("alice/base");
        basePage.Should().Contain("no: releases are immutable");
    }

    [Fact]
    public async Task Index_projects_are_filtered_on_the_server_without_javascript()
    {
        var page = await site.PageAsync("alice/dev?q=greet");
        page.Should().Contain($"{Root}/alice/dev/greeter").And.NotContain($"{Root}/alice/dev/hello-world\"");
        page.Should().Contain("value=\"greet\"");
    }

    [Fact]
    public async Task Project_page_lists_every_visible_version_newest_first_with_its_index()
    {
        var page = await site.PageAsync("alice/dev/Hello_World");
        var versions = VersionLink().Matches(page).Select(m => m.Groups[1].Value).ToList();
        versions.Should().Equal("2.0rc1", "1.5", "1.0");
        page.Should().Contain("pre-release");
        page.Should().Contain($"<a href=\"{Root}/alice/base\">alice/base</a> <span class=\"tag\">base</span>");
    }

    [Fact]
    public async Task Version_page_shows_files_with_hash_and_history_and_links_back()
    {
        var page = await site.PageAsync("alice/dev/hello-world/1.0");
        page.Should().Contain("(a base of alice/dev)");
        page.Should().Contain($"href=\"{Root}/alice/base/+f/");
        page.Should().MatchRegex("<code class=\"hash\" id=\"sha-0\">[0-9a-f]{64}</code>");
        page.Should().Contain("<td>upload</td><td>alice</td>");
        page.Should().Contain($"href=\"{Root}/alice/dev/hello-world\"", "the project is linked from its version");
    }

    [Fact]
    public async Task How_to_snippets_are_filled_with_the_url_the_browser_used()
    {
        var page = await site.PageAsync("alice/dev", ("X-Outside-URL", "https://pypi.example.com/python"));
        page.Should().Contain("pip install --index-url https://pypi.example.com/python/alice/dev/+simple/ PACKAGE");
        page.Should().Contain("index-url = https://pypi.example.com/python/alice/dev/+simple/");
        page.Should().Contain("[[tool.uv.index]]").And.Contain("url = &quot;https://pypi.example.com/python/alice/dev/+simple/&quot;");
        page.Should().Contain("repository = https://pypi.example.com/python/alice/dev/").And.Contain("twine upload --repository alice-dev dist/*");
        page.Should().Contain("devpi use https://pypi.example.com/python/alice/dev");
        page.Should().Contain("data-copy=\"howto-pip-conf\"");
        page.Should().Contain("href=\"https://pypi.example.com/python/alice/base\"", "links use the outside URL too");
    }

    [Fact]
    public async Task The_theme_from_configuration_is_applied_and_escaped()
    {
        var page = await site.PageAsync("");
        page.Should().Contain("Acme &lt;Packages&gt;").And.NotContain("Acme <Packages>");
        page.Should().Contain("Internal use &amp; fun");
        var css = Regex.Match(page, "href=\"[^\"]*(/\\+static/web/theme\\.css\\?v=[0-9a-f]+)\"").Groups[1].Value;
        css.Should().NotBeEmpty();
        (await site.Server.Client.GetStringAsync(css.TrimStart('/'))).Should().Contain("--primary: #123456");
    }

    [GeneratedRegex("<td><a href=\"[^\"]*/hello-world/([^\"]+)\">")]
    private static partial Regex VersionLink();
}
