using OpenQA.Selenium;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>Hostile HTML in a documentation zip, opened in the real browser: nothing in it runs or calls out.</summary>
[Integration]
[Collection(BrowserCollection.Name)]
public sealed class DocumentationXssTests(Chromium chromium) : CanaryTest(chromium)
{
    protected override async Task SeedAsync()
    {
        await Server.UploadWheelAsync("alice/dev", "alice", "pkg", "1.0");
        await DocZips.UploadAsync(Server, "alice/dev", "alice", "pkg", "1.0", XssCorpus.DocumentationZip(Canary.BaseUrl));
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
        Canary.Serve("/control.html", XssCorpus.DocumentationPage(Canary.BaseUrl));
        await VisitAsync(Canary.BaseUrl + "/control.html");
        Canary.CanaryHits.Should().Contain(h => h.StartsWith("/doc-script", StringComparison.Ordinal))
            .And.Contain(h => h.StartsWith("/doc-img-onerror", StringComparison.Ordinal), "the hook sees what a page runs");
    }

    [Fact]
    public async Task Served_as_documentation_nothing_runs_or_loads_from_elsewhere()
    {
        Chromium.OpenFresh(Server.BaseUrl + "/+login");
        await VisitAsync(Server.BaseUrl + "/alice/dev/pkg/1.0/+doc/");
        Chromium.Screenshot("documentation-hostile");
        Driver.Navigate().GoToUrl(Server.BaseUrl + "/alice/dev/pkg/1.0/+doc/evil.svg");
        Driver.Navigate().GoToUrl(Server.BaseUrl + "/alice/dev/pkg/1.0/+doc/evil.txt");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Canary.CanaryHits.Should().BeEmpty();
    }
}
