using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Server.Tests.Mirrors;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Application.Fill;

/// <summary>
/// A mirrored and a filled wheel carry the wheel's own METADATA (read with the archive reader uploads use), as an
/// uploaded release does: the release's JSON view, the web page, PEP 658 <c>.metadata</c> and the simple page's
/// <c>data-core-metadata</c>. The upstream is <c>python3 -m http.server</c> over generated wheels.
/// </summary>
[Integration]
public sealed class FillMetadataTests : IAsyncLifetime
{
    private readonly (string Name, byte[] Bytes) _app = GeneratedWheel.Build("app", "1.0", ["lib>=2", "plugin; extra == \"plugins\""], extras: ["plugins"]);
    private StaticTree _tree = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _tree = await StaticTree.StartAsync(new Dictionary<string, byte[]> { [_app.Name] = _app.Bytes });
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "up", $$"""{"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}"}""");
        await _server.CreateIndexAsync("team", "dst", """{"bases": [], "volatile": false}""");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _tree.DisposeAsync();
    }

    private string Sha => Distributions.Sha256(_app.Bytes);

    private string FileUrl(string index) => $"{index}/+f/{Sha[..3]}/{Sha[3..16]}/{_app.Name}";

    private async Task FetchThroughMirrorAsync()
    {
        (await _server.Client.GetStringAsync("team/up/+simple/app/")).Should().Contain(Sha);
        (await _server.Client.GetByteArrayAsync(FileUrl("team/up"))).Should().Equal(_app.Bytes);
        // The answer ends before the commit; a request for the file meanwhile waits for it.
        using var stored = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, FileUrl("team/up")));
        stored.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private async Task FillAsync()
    {
        var body = new JsonObject
        {
            ["from"] = "team/up",
            ["files"] = new JsonArray(new JsonObject { ["filename"] = _app.Name, ["sha256"] = Sha }),
        }.ToJsonString();
        using var response = await _server.SendAsync(HttpMethod.Post, "team/dst/+fill", "team", "team-pw", body);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> ReleaseAsync(string index)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, $"{index}/app/1.0");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["result"]!;
    }

    private async Task<string> CoreMetadataAsync(string index)
    {
        var metadata = await _server.Client.GetStringAsync(FileUrl(index) + ".metadata");
        metadata.Should().StartWith("Metadata-Version: 2.1\nName: app\nVersion: 1.0\n").And.Contain("Requires-Dist: lib>=2\n");
        return metadata;
    }

    private async Task ShouldServeTheWheelsOwnMetadataAsync(string index)
    {
        var release = await ReleaseAsync(index);
        ((string)release["summary"]!).Should().Be("generated for fill tests");
        ((string)release["requires_python"]!).Should().Be(">=3.7");
        release["requires_dist"]!.AsArray().Select(r => (string)r!).Should().Equal("lib>=2", "plugin; extra == \"plugins\"");
        var metadata = await CoreMetadataAsync(index);
        var metadataSha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(metadata)));
        using var html = new HttpRequestMessage(HttpMethod.Get, $"{index}/app/1.0");
        html.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var page = await _server.Client.SendAsync(html);
        (await page.Content.ReadAsStringAsync()).Should().Contain("generated for fill tests");
        (await _server.Client.GetStringAsync($"{index}/+simple/app/")).Should().Contain($"data-core-metadata=\"sha256={metadataSha}\"");
    }

    private string MirrorReleaseMetadata()
    {
        using var reader = _server.Services.GetRequiredService<PackageStore>().Read();
        return reader.Release("team", "up", "app", "1.0")!.MetadataJson;
    }

    [Fact]
    public async Task A_mirrored_then_filled_wheel_serves_its_own_metadata_like_an_upload()
    {
        await FetchThroughMirrorAsync();
        await FillAsync();

        // A mirror's views follow its upstream's pages; what it stored is what the fill copies.
        JsonNode.Parse(MirrorReleaseMetadata())!["summary"]!.GetValue<string>().Should().Be("generated for fill tests");
        await CoreMetadataAsync("team/up");
        await ShouldServeTheWheelsOwnMetadataAsync("team/dst");
    }

    [Fact]
    public async Task A_fill_reads_the_metadata_of_a_file_a_mirror_stored_with_its_name_and_version_only()
    {
        await FetchThroughMirrorAsync();
        var store = _server.Services.GetRequiredService<PackageStore>();
        using (var work = await store.BeginAsync())
        {
            // What a version that kept a mirror's minimal metadata stored.
            var file = work.Rows.File("team", "up", _app.Name)!;
            work.PutRelease(work.Rows.Release("team", "up", "app", "1.0")! with { MetadataJson = """{"name": "app", "version": "1.0"}""" });
            work.AddFile(file with { MetadataSha256 = null, RequiresPython = "" });
            work.Commit();
        }
        MirrorReleaseMetadata().Should().NotContain("summary", "the mirror's release was minimal before the fill");

        await FillAsync();

        await ShouldServeTheWheelsOwnMetadataAsync("team/dst");
    }
}
