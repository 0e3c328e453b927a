using OpenQA.Selenium;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>Hostile HTML in a documentation zip, opened in the real browser: nothing in it runs or calls out.</summary>
[Integration]
[Collection(BrowserCollection.Name)]
public sealed class DocumentationXssTests(Chromium chromium) : IAsyncLifetime
{
    private TestServer _server = null!;
    private HostileSite _canary = null!;

    private WebDriver Driver => chromium.Driver;

    public async Task InitializeAsync()
    {
        _canary = await HostileSite.StartAsync();
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice");
        await _server.CreateIndexAsync("alice", "dev", """{"volatile": true}""");
        await _server.UploadWheelAsync("alice/dev", "alice", "pkg", "1.0");
        await DocZips.UploadAsync(_server, "alice/dev", "alice", "pkg", "1.0", XssCorpus.DocumentationZip(_canary.BaseUrl));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _canary.DisposeAsync();
    }

    /// <summary>Opens a page, clicks what a reader might, and gives anything time to fire.</summary>
    private async Task VisitAsync(string url)
    {
        Driver.Navigate().GoToUrl(url);
        Driver.FindElement(By.Id("doc-title")).Text.Should().Be("Hostile documentation", "the page itself is shown");
        foreach (var id in new[] { "doc-js-link", "doc-form-button" })
        {
            Driver.Navigate().GoToUrl(url);
            Driver.FindElement(By.Id(id)).Click();
        }
        await Task.Delay(TimeSpan.FromSeconds(4)); // the meta refresh fires after 3 s
    }

    [Fact]
    public async Task The_same_html_unprotected_does_call_the_canary()
    {
        _canary.Serve("/control.html", XssCorpus.DocumentationPage(_canary.BaseUrl));
        await VisitAsync(_canary.BaseUrl + "/control.html");
        _canary.CanaryHits.Should().Contain(h => h.StartsWith("/doc-script", StringComparison.Ordinal))
            .And.Contain(h => h.StartsWith("/doc-img-onerror", StringComparison.Ordinal), "the hook sees what a page runs");
    }

    [Fact]
    public async Task Served_as_documentation_nothing_runs_or_loads_from_elsewhere()
    {
        chromium.OpenFresh(_server.BaseUrl + "/+login");
        await VisitAsync(_server.BaseUrl + "/alice/dev/pkg/1.0/+doc/");
        chromium.Screenshot("documentation-hostile");
        Driver.Navigate().GoToUrl(_server.BaseUrl + "/alice/dev/pkg/1.0/+doc/evil.svg");
        Driver.Navigate().GoToUrl(_server.BaseUrl + "/alice/dev/pkg/1.0/+doc/evil.txt");
        await Task.Delay(TimeSpan.FromSeconds(1));
        _canary.CanaryHits.Should().BeEmpty();
    }
}
