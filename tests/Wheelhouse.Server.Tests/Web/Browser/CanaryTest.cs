using OpenQA.Selenium;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>
/// The set-up of an XSS test: a canary site that records calls, and a server with alice's volatile index alice/dev,
/// into which the test puts its hostile release (<see cref="SeedAsync"/>).
/// </summary>
public abstract class CanaryTest(Chromium chromium) : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    protected HostileSite Canary { get; private set; } = null!;

    protected Chromium Chromium => chromium;

    protected WebDriver Driver => chromium.Driver;

    public async Task InitializeAsync()
    {
        Canary = await HostileSite.StartAsync();
        Server = await TestServer.StartAsync();
        await Server.CreateUserAsync("alice");
        await Server.CreateIndexAsync("alice", "dev", """{"volatile": true}""");
        await SeedAsync();
    }

    /// <summary>Uploads the hostile release to alice/dev.</summary>
    protected abstract Task SeedAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Canary.DisposeAsync();
    }
}
