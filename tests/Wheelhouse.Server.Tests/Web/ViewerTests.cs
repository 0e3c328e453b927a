namespace Wheelhouse.Server.Tests.Web;

/// <summary>A logged-in viewer's pages: who it is, where it may upload, a delete link on its volatile index only.</summary>
public sealed class ViewerTests(WebSite site) : IClassFixture<WebSite>
{
    [Fact]
    public async Task A_logged_in_uploader_sees_its_indexes_and_the_delete_link_that_anonymous_viewers_do_not()
    {
        var anonymous = await site.PageAsync("alice/dev/hello-world/1.5");
        anonymous.Should().NotContain("/+delete").And.Contain("Log in");

        using var browser = new FormClient(site.Server.BaseUrl);
        using (var login = await browser.LogInAsync("alice", "alice-pw"))
        {
            ((int)login.StatusCode).Should().Be(303);
        }
        var (_, home) = await browser.GetAsync("");
        home.Should().Contain("Indexes you may upload to").And.Contain("<li>alice/dev</li>");
        var (response, version) = await browser.GetAsync("alice/dev/hello-world/1.5");
        version.Should().Contain("Logged in as <strong>alice</strong>");
        version.Should().Contain($"href=\"{site.Server.BaseUrl}/alice/dev/hello-world/1.5/+delete\"");
        response.Headers.CacheControl!.NoStore.Should().BeTrue("a logged-in page is nobody else's");
        var (_, inherited) = await browser.GetAsync("alice/dev/hello-world/1.0");
        inherited.Should().NotContain("/+delete", "1.0 lives in alice/base, which is not volatile");
        var (_, index) = await browser.GetAsync("alice/dev");
        index.Should().Contain("(including you)");

        (await site.PageAsync("alice/dev/hello-world/1.5")).Should().NotContain("Logged in as", "the anonymous page was not replaced by alice's");
    }
}
