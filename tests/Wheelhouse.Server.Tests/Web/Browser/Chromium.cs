using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>
/// Debian's real chromium, headless, driven through Debian's chromedriver (build/Testing/DebianPrerequisites.cs lists
/// both): chromedriver listens on a loopback port, chromium runs in a temporary profile directory; both are stopped
/// by PID when the tests are done. One browser for every browser test (<see cref="BrowserCollection"/>).
/// </summary>
public sealed class Chromium : IAsyncLifetime, IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private ChromeDriverService? _service;
    private ChromeDriver? _driver;

    public string Profile { get; } = Directory.CreateTempSubdirectory("wh-chromium-").FullName;

    public ChromeDriver Driver => _driver ?? throw new InvalidOperationException("chromium is not running");

    /// <summary>Where screenshots go: the repository's artifacts/screenshots/ (kept out of git).</summary>
    public static string ScreenshotDirectory { get; } = RepositoryRoot.Combine("artifacts", "screenshots");

    public Task InitializeAsync()
    {
        foreach (var (path, package) in new[] { (ChromiumPath, "chromium"), (DriverPath, "chromium-driver") })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: install Debian's {package} ('./build.sh --target prerequisites')");
            }
        }
        // Debian's driver, never one Selenium Manager would download.
        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        _service.HideCommandPromptWindow = true;
        _service.SuppressInitialDiagnosticInformation = true;
        _service.LogPath = Path.Combine(Profile, "chromedriver.log");
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-sync", "--disable-component-update", "--password-store=basic", "--lang=en-US",
            $"--user-data-dir={Path.Combine(Profile, "user-data")}");
        _driver = new ChromeDriver(_service, options, TimeSpan.FromSeconds(60));
        _driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        _driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(10);
        Directory.CreateDirectory(ScreenshotDirectory);
        return Task.CompletedTask;
    }

    /// <summary>Opens <paramref name="url"/> with no cookies left from an earlier test (cookies ignore ports: every test server is 127.0.0.1).</summary>
    public void OpenFresh(string url)
    {
        Driver.Navigate().GoToUrl(url);
        Driver.Manage().Cookies.DeleteAllCookies();
        Driver.Navigate().GoToUrl(url);
    }

    /// <summary>
    /// How long a test waits for the browser: generous, because the suite runs tests in parallel on two cores and a
    /// log-in hashes a password.
    /// </summary>
    public WebDriverWait Wait => new(Driver, TimeSpan.FromSeconds(30));

    /// <summary>
    /// Clicks something that leads to another page and returns once that page has loaded. A click returns as soon as
    /// the browser has the event; a form's POST may not have started, so the next lookup could still see the old
    /// page. A mark left on the old page's window, gone from the new one's, is what proves the new page replaced it
    /// (an element of the old page is no proof: chromedriver reports it stale or as an unknown error, depending on
    /// the moment).
    /// </summary>
    public void ClickToNewPage(IWebElement target)
    {
        Driver.ExecuteScript("window.wheelhouseOldPage = true;");
        target.Click();
        Wait.Until(_ => NewPageLoaded());
    }

    private bool NewPageLoaded()
    {
        try
        {
            return Equals(Driver.ExecuteScript("return document.readyState === 'complete' && window.wheelhouseOldPage !== true;"), true);
        }
        catch (WebDriverException)
        {
            return false; // between the two documents: ask again
        }
    }

    /// <summary>
    /// Saves what the browser shows as artifacts/screenshots/<paramref name="name"/>.png (the whole page, not only the
    /// window), and its top at half size as artifacts/screenshots/small/<paramref name="name"/>.png.
    /// </summary>
    public string Screenshot(string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        var height = Convert.ToInt32(Driver.ExecuteScript("return Math.min(4000, document.documentElement.scrollHeight)"), System.Globalization.CultureInfo.InvariantCulture);
        Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = 1280,
            ["height"] = Math.Max(height, 200),
            ["deviceScaleFactor"] = 1,
            ["mobile"] = false,
        });
        try
        {
            Driver.GetScreenshot().SaveAsFile(path);
            // A small preview of the top of the page, for people choosing pictures for docs/screenshots/.
            var preview = (Dictionary<string, object?>)Driver.ExecuteCdpCommand("Page.captureScreenshot", new Dictionary<string, object?>
            {
                ["format"] = "png",
                ["clip"] = new Dictionary<string, object?> { ["x"] = 0, ["y"] = 0, ["width"] = 1280, ["height"] = Math.Min(Math.Max(height, 200), 960), ["scale"] = 0.5 },
            })!;
            Directory.CreateDirectory(Path.Combine(ScreenshotDirectory, "small"));
            File.WriteAllBytes(Path.Combine(ScreenshotDirectory, "small", name + ".png"), Convert.FromBase64String((string)preview["data"]!));
        }
        finally
        {
            Driver.ExecuteCdpCommand("Emulation.clearDeviceMetricsOverride", []);
        }
        return path;
    }

    /// <summary>For the analyzers: xunit calls <see cref="DisposeAsync"/>, which stops everything.</summary>
    public void Dispose()
    {
        _driver?.Dispose();
        _service?.Dispose();
    }

    public async Task DisposeAsync()
    {
        var driverPid = _service?.ProcessId ?? 0;
        try
        {
            _driver?.Quit();
        }
        catch (WebDriverException)
        {
            // Already gone: the PIDs below are stopped regardless.
        }
        _driver?.Dispose();
        _service?.Dispose();
        foreach (var pid in ChromiumPids().Append(driverPid).Where(p => p > 0))
        {
            await StopAsync(pid);
        }
        Directory.Delete(Profile, recursive: true);
    }

    /// <summary>The chromium processes of this profile (their command line names its unique directory); none after a clean quit.</summary>
    private IEnumerable<int> ChromiumPids()
    {
        var marker = Path.Combine(Profile, "user-data");
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (cmdline.Contains(marker, StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    private static async Task StopAsync(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(); // by PID: this one process
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException)
        {
            // Exited already.
        }
        catch (InvalidOperationException)
        {
            // Exited between the lookup and the kill.
        }
    }
}

/// <summary>One chromium shared by every browser test class.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "chromium";
}
