using System.Net;
using OpenQA.Selenium;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>Logging in, deleting from a volatile index and a forged cross-site post, in the real browser.</summary>
[Integration]
[Collection(BrowserCollection.Name)]
public sealed class SessionInTheBrowserTests(Chromium chromium) : IAsyncLifetime
{
    private TestServer _server = null!;

    private WebDriver Driver => chromium.Driver;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice");
        await _server.CreateIndexAsync("alice", "dev", """{"volatile": true}""");
        await _server.UploadWheelAsync("alice/dev", "alice", "pkg", "1.0");
        await _server.UploadWheelAsync("alice/dev", "alice", "pkg", "2.0");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private void LogIn(string user, string password, string? screenshot = null)
    {
        chromium.OpenFresh(_server.BaseUrl + "/+login");
        Driver.FindElement(By.Id("username")).SendKeys(user);
        Driver.FindElement(By.Id("password")).SendKeys(password);
        if (screenshot is not null)
        {
            chromium.Screenshot(screenshot);
        }
        chromium.ClickToNewPage(Driver.FindElement(By.CssSelector("form.login button[type=submit]")));
    }

    private async Task<HttpStatusCode> VersionStatus(string version)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, $"alice/dev/pkg/{version}");
        return response.StatusCode;
    }

    [Fact]
    public void Logging_in_through_the_form_starts_a_session_the_page_script_cannot_read()
    {
        LogIn("alice", "nope");
        Driver.FindElement(By.Id("login-error")).Text.Should().Contain("wrong");
        chromium.Screenshot("login-refused");

        LogIn("alice", "alice-pw", screenshot: "login");
        chromium.Wait.Until(d => !d.Url.EndsWith("/+login", StringComparison.Ordinal));
        Driver.Manage().Cookies.GetCookieNamed("wheelhouse_session").Should().NotBeNull();
        Driver.Manage().Cookies.GetCookieNamed("wheelhouse_session")!.IsHttpOnly.Should().BeTrue();
        Driver.Manage().Cookies.GetCookieNamed("wheelhouse_session")!.SameSite.Should().Be("Lax");
        Driver.Navigate().GoToUrl(_server.BaseUrl + "/+login");
        Driver.FindElement(By.TagName("main")).Text.Should().Contain("logged in as alice");
        ((string?)Driver.ExecuteScript("return document.cookie")).Should().NotContain("wheelhouse_session");
        chromium.Screenshot("logged-in");

        chromium.ClickToNewPage(Driver.FindElement(By.CssSelector("form.logout button")));
        chromium.Wait.Until(d => d.Manage().Cookies.GetCookieNamed("wheelhouse_session") is null);
        Driver.FindElements(By.CssSelector("form.logout")).Should().BeEmpty("the page after logging out is anonymous");
    }

    [Fact]
    public async Task The_owner_deletes_a_release_from_its_volatile_index()
    {
        LogIn("alice", "alice-pw");
        chromium.Wait.Until(d => !d.Url.EndsWith("/+login", StringComparison.Ordinal));
        Driver.Navigate().GoToUrl(_server.BaseUrl + "/alice/dev/pkg/1.0/+delete");
        Driver.FindElement(By.TagName("main")).Text.Should().Contain("pkg-1.0-py3-none-any.whl");
        chromium.Screenshot("delete-confirm");
        chromium.ClickToNewPage(Driver.FindElement(By.CssSelector("form.delete button[type=submit]")));
        chromium.Wait.Until(d => !d.Url.EndsWith("/+delete", StringComparison.Ordinal));
        (await VersionStatus("1.0")).Should().Be(HttpStatusCode.NotFound);
        (await VersionStatus("2.0")).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_forged_post_from_another_site_is_refused_and_deletes_nothing()
    {
        await using var attacker = await HostileSite.StartAsync();
        // 127.0.0.1 on another port is the same site to the browser, so the Lax cookie goes along: only the token stops it.
        attacker.Serve("/forge.html", $"""
            <!DOCTYPE html><html><body>
            <form id="forged" method="post" action="{_server.BaseUrl}/alice/dev/pkg/2.0/+delete">
            <input type="hidden" name="csrf_token" value="guessed">
            </form>
            <script>document.getElementById('forged').submit();</script>
            </body></html>
            """);
        LogIn("alice", "alice-pw");
        chromium.Wait.Until(d => !d.Url.EndsWith("/+login", StringComparison.Ordinal));
        Driver.Navigate().GoToUrl(attacker.BaseUrl + "/forge.html");
        chromium.Wait.Until(d => d.Url.StartsWith(_server.BaseUrl, StringComparison.Ordinal));
        chromium.Wait.Until(d => d.FindElements(By.TagName("main")).Count > 0);
        Driver.FindElement(By.TagName("main")).Text.Should().Contain("security token");
        chromium.Screenshot("csrf-refused");
        (await VersionStatus("2.0")).Should().Be(HttpStatusCode.OK);
    }
}
