using System.Net;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>
/// A release whose README, summary, author, license, keywords, classifiers and project URLs are hostile, shown on every
/// page that shows it, in the real browser: a canary site records any call a payload would make, and there is none.
/// The same README as raw HTML on an unprotected page does call it, so the hook is shown to work.
/// </summary>
[Integration]
[Collection(BrowserCollection.Name)]
public sealed class MetadataXssTests(Chromium chromium) : CanaryTest(chromium)
{
    protected override async Task SeedAsync()
    {
        var wheel = XssCorpus.Wheel(Canary.BaseUrl, "hostile-pkg", "1.0");
        using var request = new HttpRequestMessage(HttpMethod.Post, "alice/dev/")
        {
            Content = Distributions.Form("hostile-pkg", "1.0", wheel, "hostile_pkg-1.0-py3-none-any.whl"),
        };
        request.Headers.Authorization = TestServer.Basic("alice", "alice-pw");
        using var response = await Server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What in the page's main part could run or load: script-bearing elements, event handlers, script and data URLs.</summary>
    private List<string> DangerousMarkup() =>
        ((IEnumerable<object>)Driver.ExecuteScript("""
            return Array.from(document.querySelectorAll('main *')).flatMap(function (e) {
              var found = Array.from(e.attributes)
                .filter(function (a) { return /^on/i.test(a.name) || /^\s*(javascript|data|vbscript):/i.test(a.value); })
                .map(function (a) { return e.tagName + ' ' + a.name + '=' + a.value; });
              if (/^(script|iframe|object|embed|svg|style|math|form|base|meta|link)$/i.test(e.tagName)) { found.push(e.tagName); }
              return found;
            });
            """)!).Select(o => o.ToString()!).ToList();

    /// <summary>Clicks every link and button a reader might on the page, and hovers over every link.</summary>
    private async Task UseEveryLinkAsync(string url)
    {
        Driver.Navigate().GoToUrl(url);
        var count = Driver.FindElements(By.CssSelector("main a, main button")).Count;
        for (var i = 0; i < count; i++)
        {
            Driver.Navigate().GoToUrl(url);
            var targets = Driver.FindElements(By.CssSelector("main a, main button"));
            if (i >= targets.Count || !targets[i].Displayed)
            {
                continue;
            }
            var href = targets[i].GetAttribute("href") ?? "";
            new Actions(Driver).MoveToElement(targets[i]).Perform();
            if (href.StartsWith(Server.BaseUrl, StringComparison.Ordinal) && !href.Contains("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                continue; // a link within the site: the page it leads to is visited on its own
            }
            targets[i].Click();
            await Task.Delay(100);
        }
        Driver.Navigate().GoToUrl(url);
        await Task.Delay(500);
    }

    [Fact]
    public async Task The_readme_served_raw_and_unprotected_does_call_the_canary()
    {
        Canary.Serve("/control.html", "<!DOCTYPE html><html><body><main>" + XssCorpus.Readme(Canary.BaseUrl) + "</main></body></html>");
        await UseEveryLinkAsync(Canary.BaseUrl + "/control.html");
        Canary.CanaryHits.Should().Contain(h => h.StartsWith("/readme-script", StringComparison.Ordinal))
            .And.Contain(h => h.StartsWith("/readme-img-onerror", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_in_hostile_metadata_runs_on_any_page()
    {
        Chromium.OpenFresh(Server.BaseUrl + "/");
        await UseEveryLinkAsync(Server.BaseUrl + "/alice/dev/hostile-pkg/1.0");
        var main = Driver.FindElement(By.TagName("main")).Text;
        main.Should().Contain("hostile-readme-marker", "the description is shown, only defused");
        main.Should().Contain("hostile summary");
        Chromium.Screenshot("version-hostile");
        DangerousMarkup().Should().BeEmpty("the page holds no script, handler, frame or javascript:/data: URL from the metadata");
        foreach (var page in new[] { "/alice/dev/hostile-pkg", "/alice/dev", "/", "/+search?q=hostile", "/+search?q=%3Cscript%3E" })
        {
            await UseEveryLinkAsync(Server.BaseUrl + page);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        Canary.CanaryHits.Should().BeEmpty();
        var alerts = Driver.ExecuteScript("return typeof window.__xss");
        alerts.Should().Be("undefined");
    }
}
