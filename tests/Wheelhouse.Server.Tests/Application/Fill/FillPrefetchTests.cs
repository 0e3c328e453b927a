using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Server.Application.Fill;
using Wheelhouse.Server.Tests.Mirrors;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Application.Fill;

/// <summary>
/// A fill's first request names the files its requirements pin by hash, and the mirror fetches them while pip starts:
/// the pinned pure-Python wheel and the wheel of the requested platform, nothing else; only for a caller that may fill
/// the target. The upstream is <c>python3 -m http.server</c> over generated wheels.
/// </summary>
[Integration]
public sealed class FillPrefetchTests : IAsyncLifetime
{
    private readonly (string Name, byte[] Bytes) _app = GeneratedWheel.Build("app", "1.0");
    private readonly (string Name, byte[] Bytes) _oldApp = GeneratedWheel.Build("app", "0.9");
    private readonly (string Name, byte[] Bytes) _windows = GeneratedWheel.Build("lib", "1.0", tag: "cp311-cp311-win_amd64");
    private readonly (string Name, byte[] Bytes) _mac = GeneratedWheel.Build("lib", "1.0", tag: "cp311-cp311-macosx_11_0_arm64");
    private StaticTree _tree = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _tree = await StaticTree.StartAsync(new[] { _app, _oldApp, _windows, _mac }.ToDictionary(w => w.Name, w => w.Bytes));
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateUserAsync("guest");
        await _server.CreateIndexAsync("team", "up", $$"""{"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}"}""");
        await _server.CreateIndexAsync("team", "dst", """{"bases": [], "volatile": false}""");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _tree.DisposeAsync();
    }

    private string Body() => new JsonObject
    {
        ["from"] = "team/up",
        ["files"] = new JsonArray(),
        ["dry_run"] = true,
        ["prefetch"] = new JsonObject
        {
            ["projects"] = new JsonArray(
                new JsonObject { ["name"] = "app", ["sha256"] = new JsonArray(Distributions.Sha256(_app.Bytes)) },
                new JsonObject { ["name"] = "lib", ["sha256"] = new JsonArray(Distributions.Sha256(_windows.Bytes), Distributions.Sha256(_mac.Bytes)) }),
            ["platforms"] = new JsonArray("win_amd64"),
            ["python_versions"] = new JsonArray("3.11"),
        },
    }.ToJsonString();

    private List<string> Mirrored()
    {
        using var reader = _server.Services.GetRequiredService<PackageStore>().Read();
        return reader.IndexFiles("team", "up").Select(f => f.FileName).Order(StringComparer.Ordinal).ToList();
    }

    private async Task PrefetchDoneAsync()
    {
        var prefetch = _server.Services.GetRequiredService<FillPrefetch>();
        for (var i = 0; i < 600 && (prefetch.Running > 0 || Mirrored().Count < 2); i++)
        {
            await Task.Delay(50);
        }
        prefetch.Running.Should().Be(0, "the run ends once its files are fetched");
    }

    [Fact]
    public async Task The_mirror_fetches_the_pinned_files_pip_will_download_and_nothing_else()
    {
        using var response = await _server.SendAsync(HttpMethod.Post, "team/dst/+fill", "team", "team-pw", Body());
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        ((int)JsonNode.Parse(text)!["result"]!["prefetching"]!).Should().Be(2);

        await PrefetchDoneAsync();

        Mirrored().Should().Equal([_app.Name, _windows.Name],
            "the pinned pure wheel and the requested platform's wheel; not the unpinned version nor the other platform's");
        (await _server.Client.GetByteArrayAsync($"team/up/+f/{Distributions.Sha256(_app.Bytes)[..3]}/{Distributions.Sha256(_app.Bytes)[3..16]}/{_app.Name}"))
            .Should().Equal(_app.Bytes, "the fetched file is served from the store");
        using var reader = _server.Services.GetRequiredService<PackageStore>().Read();
        reader.IndexFiles("team", "dst").Should().BeEmpty("a dry run copies nothing into the target");
    }

    [Fact]
    public async Task A_caller_who_may_not_fill_the_target_makes_the_mirror_fetch_nothing()
    {
        using var response = await _server.SendAsync(HttpMethod.Post, "team/dst/+fill", "guest", "guest-pw", Body());

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, await response.Content.ReadAsStringAsync());
        _server.Services.GetRequiredService<FillPrefetch>().Running.Should().Be(0);
        await Task.Delay(500);
        Mirrored().Should().BeEmpty();
    }
}
