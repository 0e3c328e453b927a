using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Layout;

/// <summary>
/// <c>wheelhouse-server layout apply</c> run as its own process on the data directory of a server that is running:
/// the server takes the change in on the next request (no restart), users, indexes and cached simple pages alike.
/// </summary>
[Integration]
public sealed class LiveLayoutApplyTests : IAsyncLifetime
{
    private static readonly string ExamplePath = Wheelhouse.Testing.RepositoryRoot.Combine("docs", "examples", "department-layout.yaml");

    private readonly string _dir = Directory.CreateTempSubdirectory("wh-live-layout-").FullName;
    private readonly string _name = "whlive_" + Guid.NewGuid().ToString("N")[..10];
    private TestServer _server = null!;

    private string Project => _name.Replace('_', '-');

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private async Task ApplyAsync(string layout)
    {
        var applied = await LayoutCommand.RunAsync(_dir, _server.DataDirectory, "layout", "apply", layout);
        applied.Code.Should().Be(0, applied.Err);
        applied.Out.Should().Contain("applied");
    }

    private async Task<(HttpStatusCode Status, long Serial, string Body)> GetAsync(string path, string? user = null, string? secret = null)
    {
        // Simple pages as pip asks for them (HTML); the devpi views as JSON.
        using var request = path.Contains("+simple", StringComparison.Ordinal) ? new HttpRequestMessage(HttpMethod.Get, path) : _server.Request(HttpMethod.Get, path, user, secret);
        using var response = await _server.Client.SendAsync(request);
        return (response.StatusCode, long.Parse(response.Headers.GetValues("X-Devpi-Serial").Single(), System.Globalization.CultureInfo.InvariantCulture),
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_department_layout_applied_beside_a_running_server_answers_on_the_next_request()
    {
        var before = await GetAsync("shared/stable");

        await ApplyAsync(ExamplePath);
        // The very next request, no polling: the apply process takes longer to run than the server's check interval.
        var stable = await GetAsync("shared/stable");
        var login = await GetAsync("+api", "qa", "qa-secret");
        var upload = await _server.UploadWheelAsync("team-a/dev", "team-a", _name, "1.0", "a-secret");
        var page = await GetAsync($"team-a/dev/+simple/{Project}/");

        before.Status.Should().Be(HttpStatusCode.NotFound);
        stable.Status.Should().Be(HttpStatusCode.OK, stable.Body);
        stable.Serial.Should().BeGreaterThan(before.Serial, "the server adopted the serial the other process committed");
        JsonNode.Parse(stable.Body)!["result"]!["bases"]!.AsArray().Select(b => (string?)b)
            .Should().Equal("shared/stable-local", "shared/thirdparty-local", "root/pypi");
        JsonNode.Parse(login.Body)!["result"]!["authstatus"]![0]!.GetValue<string>().Should().Be("ok", "a user the layout created logs in at once");
        page.Status.Should().Be(HttpStatusCode.OK);
        page.Serial.Should().Be(stable.Serial + 1, "the server's own next commit follows the other process's serial");
        page.Body.Should().Contain(Distributions.Sha256(upload));
    }

    [Fact]
    public async Task A_cached_simple_page_follows_a_base_the_layout_adds()
    {
        await _server.CreateUserAsync("ops");
        await _server.CreateIndexAsync("ops", "extra");
        await _server.CreateIndexAsync("ops", "dev");
        var own = Distributions.Sha256(await _server.UploadWheelAsync("ops/dev", "ops", _name, "1.0"));
        var inherited = Distributions.Sha256(await _server.UploadWheelAsync("ops/extra", "ops", _name, "2.0"));
        var cached = await GetAsync($"ops/dev/+simple/{Project}/");
        var layout = Path.Combine(_dir, "layout.yaml");
        await File.WriteAllTextAsync(layout, """
            version: 1
            indexes:
              ops/dev:
                bases: [ops/extra]
            """);

        await ApplyAsync(layout);
        var after = await GetAsync($"ops/dev/+simple/{Project}/");

        cached.Body.Should().Contain(own).And.NotContain(inherited);
        after.Body.Should().Contain(own).And.Contain(inherited, "the page rendered before the apply is not served after it");
    }
}
