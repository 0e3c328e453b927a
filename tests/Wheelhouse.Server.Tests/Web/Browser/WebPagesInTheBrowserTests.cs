using System.Net;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>
/// The pages as a person uses them, in the real browser: from home to an index, a project, a version and its
/// documentation by links; search; a copy button; filter as you type; logged in, where one may upload and deleting
/// from a volatile index. Each page is saved under artifacts/screenshots/.
/// </summary>
[Integration]
[Collection(BrowserCollection.Name)]
public sealed class WebPagesInTheBrowserTests(Chromium chromium) : IAsyncLifetime
{
    private TestServer _server = null!;

    private OpenQA.Selenium.Chrome.ChromeDriver Driver => chromium.Driver;

    private WebDriverWait Wait => chromium.Wait;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bob");
        await _server.CreateIndexAsync("alice", "dev", """{"volatile": true, "title": "Team builds", "description": "Nightly builds of the team's tools"}""");
        await _server.CreateIndexAsync("alice", "prod", """{"volatile": false, "bases": ["alice/dev"], "title": "Released"}""");
        await _server.UploadWheelAsync("alice/dev", "alice", "demo-tool", "1.0");
        await _server.UploadWheelAsync("alice/dev", "alice", "demo-tool", "2.0");
        await _server.UploadWheelAsync("alice/dev", "alice", "demo-tool", "2.1rc1");
        await _server.UploadWheelAsync("alice/dev", "alice", "other-lib", "0.3");
        await DocZips.UploadAsync(_server, "alice/dev", "alice", "demo-tool", "2.0", DocZips.Zip(
            ("index.html", "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"_static/docs.css\"><title>demo-tool</title></head><body><h1 id=\"doc-title\">demo-tool 2.0 documentation</h1><p><a href=\"api/\">API reference</a></p></body></html>"),
            ("_static/docs.css", "body { font-family: sans-serif; max-width: 40em; margin: 2em auto; } h1 { color: #235; }"),
            ("api/index.html", "<h1 id=\"doc-title\">API</h1>")));
        await _server.UploadWheelAsync("alice/prod", "alice", "demo-tool", "1.0");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private void Click(string linkText) => chromium.ClickToNewPage(Driver.FindElement(By.LinkText(linkText)));

    [Fact]
    public void From_home_to_a_version_and_its_documentation_by_links()
    {
        chromium.OpenFresh(_server.BaseUrl + "/");
        Driver.FindElement(By.TagName("main")).Text.Should().Contain("alice/dev").And.Contain("Team builds");
        chromium.Screenshot("home");

        Click("alice/dev");
        Wait.Until(d => d.Url.EndsWith("/alice/dev", StringComparison.Ordinal));
        Driver.FindElement(By.TagName("main")).Text.Should().Contain("demo-tool").And.Contain("other-lib");
        chromium.Screenshot("index");

        chromium.ClickToNewPage(Driver.FindElement(By.CssSelector("#project-list a[href$='/demo-tool']")));
        Wait.Until(d => d.Url.EndsWith("/alice/dev/demo-tool", StringComparison.Ordinal));
        var versions = Driver.FindElements(By.CssSelector("table.list tbody tr td:first-child a")).Select(a => a.Text).ToList();
        versions.Should().Equal(["2.1rc1", "2.0", "1.0"], "newest first by PEP 440");
        Driver.FindElement(By.CssSelector(".tag.pre")).Text.Should().Be("pre-release");
        chromium.Screenshot("project");

        Click("2.0");
        Wait.Until(d => d.Url.EndsWith("/alice/dev/demo-tool/2.0", StringComparison.Ordinal));
        Driver.FindElement(By.TagName("h1")).Text.Should().Contain("demo-tool 2.0");
        Driver.FindElement(By.CssSelector("table.files")).Text.Should().Contain("demo_tool-2.0-py3-none-any.whl");
        Driver.FindElements(By.CssSelector("p.danger a")).Should().BeEmpty("anonymous viewers get no delete button");
        chromium.Screenshot("version");

        Click("Browse the documentation");
        Wait.Until(d => d.Url.EndsWith("/alice/dev/demo-tool/2.0/+doc/", StringComparison.Ordinal));
        Driver.FindElement(By.Id("doc-title")).Text.Should().Be("demo-tool 2.0 documentation");
        chromium.Screenshot("documentation");
        Click("API reference");
        Wait.Until(d => d.Url.EndsWith("/+doc/api/", StringComparison.Ordinal));
        Driver.FindElement(By.Id("doc-title")).Text.Should().Be("API");
    }

    [Fact]
    public void Search_finds_by_name_from_the_header()
    {
        chromium.OpenFresh(_server.BaseUrl + "/");
        var box = Driver.FindElement(By.Id("site-search"));
        box.SendKeys("demo-tool");
        box.Submit();
        Wait.Until(d => d.Url.Contains("/+search?", StringComparison.Ordinal));
        var results = Driver.FindElements(By.CssSelector("ol.results > li > a")).Select(a => a.Text).ToList();
        results.Should().NotBeEmpty().And.Contain("demo-tool");
        results[0].Should().Be("demo-tool", "an exact name comes first");
        chromium.Screenshot("search");
        chromium.ClickToNewPage(Driver.FindElement(By.CssSelector("ol.results > li > a")));
        Wait.Until(d => d.Url.Contains("/demo-tool", StringComparison.Ordinal));
    }

    [Fact]
    public void A_copy_button_puts_the_snippet_in_the_clipboard()
    {
        chromium.OpenFresh(_server.BaseUrl + "/alice/dev");
        Driver.ExecuteCdpCommand("Browser.grantPermissions", new Dictionary<string, object?>
        {
            ["origin"] = _server.BaseUrl,
            ["permissions"] = new[] { "clipboardReadWrite", "clipboardSanitizedWrite" },
        });
        var snippet = Driver.FindElement(By.CssSelector("section.howto .snippet"));
        var expected = snippet.FindElement(By.TagName("pre")).GetAttribute("textContent")!;
        expected.Should().Contain(_server.BaseUrl + "/alice/dev", "the snippet is filled in with the URL the browser used");
        var button = snippet.FindElement(By.CssSelector("button.copy"));
        button.Click();
        Wait.Until(_ => button.Text == "Copied");
        var clipboard = (string?)Driver.ExecuteAsyncScript("var done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, function (e) { done('error: ' + e); });");
        clipboard.Should().Be(expected);
        chromium.Screenshot("index-copied");
    }

    [Fact]
    public void The_project_list_filters_as_one_types()
    {
        chromium.OpenFresh(_server.BaseUrl + "/alice/dev");
        Driver.FindElement(By.Id("project-filter")).SendKeys("other");
        Wait.Until(d => !d.FindElement(By.Id("project-list")).Text.Contains("demo-tool", StringComparison.Ordinal));
        Driver.FindElement(By.Id("project-list")).Text.Should().Contain("other-lib");
    }

    [Fact]
    public async Task Logged_in_the_pages_show_where_one_may_upload_and_delete_from_a_volatile_index()
    {
        chromium.OpenFresh(_server.BaseUrl + "/");
        Click("Log in");
        Driver.FindElement(By.Id("username")).SendKeys("alice");
        Driver.FindElement(By.Id("password")).SendKeys("alice-pw");
        chromium.ClickToNewPage(Driver.FindElement(By.CssSelector("form.login button[type=submit]")));
        Wait.Until(d => d.FindElements(By.CssSelector("form.logout")).Count > 0);
        Driver.Navigate().GoToUrl(_server.BaseUrl + "/");
        Driver.FindElement(By.TagName("main")).Text.Should().Contain("Indexes you may upload to");
        Driver.FindElement(By.CssSelector("section.panel ul")).Text.Should().Contain("alice/dev").And.Contain("alice/prod");
        chromium.Screenshot("home-logged-in");

        Driver.Navigate().GoToUrl(_server.BaseUrl + "/alice/prod/demo-tool/1.0");
        Driver.FindElements(By.CssSelector("p.danger a")).Should().BeEmpty("alice/prod is not volatile");

        Driver.Navigate().GoToUrl(_server.BaseUrl + "/alice/dev/demo-tool/1.0");
        chromium.Screenshot("version-logged-in");
        chromium.ClickToNewPage(Driver.FindElement(By.CssSelector("p.danger a")));
        Wait.Until(d => d.Url.EndsWith("/+delete", StringComparison.Ordinal));
        chromium.Screenshot("delete-confirm-page");
        chromium.ClickToNewPage(Driver.FindElement(By.CssSelector("form.delete button[type=submit]")));
        Wait.Until(d => d.Url.EndsWith("/alice/dev/demo-tool", StringComparison.Ordinal));
        Driver.FindElements(By.CssSelector("table.list tbody tr td:first-child a")).Select(a => a.Text).Should().Equal(["2.1rc1", "2.0"]);
        using var gone = await _server.SendAsync(HttpMethod.Get, "alice/dev/demo-tool/1.0");
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var kept = await _server.SendAsync(HttpMethod.Get, "alice/prod/demo-tool/1.0");
        kept.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
