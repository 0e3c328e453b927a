using System.IO.Compression;
using System.Net;
using System.Text;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary>Issue 9, items 1 to 5 and the dot names: hostile or broken input refused over HTTP, nothing stored.</summary>
[Integration]
public sealed class HostileInputTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(o => o with { LogLevel = Microsoft.Extensions.Logging.LogLevel.Information });
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "dev");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> UploadAsync(string index, HttpContent form, string user = "team")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{index}/") { Content = form };
        request.Headers.Authorization = TestServer.Basic(user, user + "-pw");
        return await _server.Client.SendAsync(request);
    }

    private static byte[] WheelWithMetadata(string name, string version, string metadata)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in new[] { ($"{name}/__init__.py", ""), ($"{name}-{version}.dist-info/METADATA", metadata), ($"{name}-{version}.dist-info/RECORD", "") })
            {
                using var s = zip.CreateEntry(path, CompressionLevel.Optimal).Open();
                s.Write(Encoding.UTF8.GetBytes(text));
            }
        }
        return ms.ToArray();
    }

    [Fact]
    public async Task A_wheel_whose_zip_headers_lie_about_its_metadata_size_is_refused_and_nothing_is_stored()
    {
        var metadata = "Metadata-Version: 2.1\nName: liar\nVersion: 1.0\nSummary: lies\n\n" + ZipHeaders.Incompressible(200_000);
        var wheel = ZipHeaders.Declare(WheelWithMetadata("liar", "1.0", metadata), "liar-1.0.dist-info/METADATA", size: 300);
        using var response = await UploadAsync("team/dev", Distributions.Form("liar", "1.0", wheel, Distributions.WheelName("liar", "1.0")));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("liar-1.0.dist-info/METADATA").And.Contain("declares 300 bytes");
        using var page = await _server.Client.GetAsync("team/dev/+simple/liar/");
        page.StatusCode.Should().Be(HttpStatusCode.NotFound, "a refused upload stores nothing");
        Directory.EnumerateFiles(Path.Combine(_server.DataDirectory, "+files"), "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Theory]
    [InlineData("\u212Aelvin")]
    [InlineData("nl-pkg\n")]
    public async Task Project_names_outside_pep_508_are_refused_and_not_listed(string name)
    {
        using var response = await UploadAsync("team/dev", Distributions.Submit(name, "1.0"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("invalid project name");
        using var list = await _server.Client.GetAsync("team/dev/+simple/");
        var html = await list.Content.ReadAsStringAsync();
        html.Should().NotContain("elvin").And.NotContain("nl-pkg");
    }

    [Theory]
    [InlineData(".hidden")]
    [InlineData(".x")]
    public async Task User_and_index_names_starting_with_a_dot_are_refused_at_creation(string name)
    {
        using var user = await _server.SendAsync(HttpMethod.Put, name, json: """{"password": "pw"}""");
        user.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await user.Content.ReadAsStringAsync()).Should().Contain("may not start with '.'");
        using var index = await _server.SendAsync(HttpMethod.Put, $"team/{name}", "team", "team-pw", "{}");
        index.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await index.Content.ReadAsStringAsync()).Should().Contain("may not start with '.'");
        using var root = await _server.Client.GetAsync("");
        (await root.Content.ReadAsStringAsync()).Should().NotContain(name);
    }

    [Theory]
    [InlineData("http://bob:hunter2@bad host/")]
    [InlineData("http://bob:hunter2@[::1/")]
    [InlineData("bob:hunter2@pypi.example")]
    public async Task A_mirror_url_that_cannot_be_parsed_is_never_echoed(string url)
    {
        var body = $$"""{"type": "mirror", "mirror_url": "{{url}}"}""";
        using var put = await _server.SendAsync(HttpMethod.Put, "team/upstream", "team", "team-pw", body);
        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await put.Content.ReadAsStringAsync()).Should().Contain("mirror_url").And.NotContain("hunter2");
        put.ReasonPhrase.Should().NotContain("hunter2");
        await _server.CreateIndexAsync("team", "upstream", """{"type": "mirror", "mirror_url": "https://pypi.example/simple/"}""");
        using var patch = await _server.SendAsync(HttpMethod.Patch, "team/upstream", "team", "team-pw", $$"""{"mirror_url": "{{url}}"}""");
        patch.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await patch.Content.ReadAsStringAsync()).Should().NotContain("hunter2");
        patch.ReasonPhrase.Should().NotContain("hunter2");
        _server.Log.Text.Should().NotContain("hunter2");
    }

    [Theory]
    [InlineData("https://pypi.example/simple/?token=sekrit", "query")]
    [InlineData("https://pypi.example/simple/#sekrit", "fragment")]
    public async Task A_mirror_url_with_a_query_or_fragment_is_refused_at_creation_and_modification(string url, string why)
    {
        using var put = await _server.SendAsync(HttpMethod.Put, "team/upstream", "team", "team-pw", $$"""{"type": "mirror", "mirror_url": "{{url}}"}""");
        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await put.Content.ReadAsStringAsync()).Should().Contain($"must not have a {why}").And.NotContain("sekrit");
        await _server.CreateIndexAsync("team", "upstream", """{"type": "mirror", "mirror_url": "https://pypi.example/simple/"}""");
        using var patch = await _server.SendAsync(HttpMethod.Patch, "team/upstream", "team", "team-pw", $$"""["mirror_url={{url}}"]""");
        patch.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await patch.Content.ReadAsStringAsync()).Should().Contain($"must not have a {why}").And.NotContain("sekrit");
        using var get = await _server.SendAsync(HttpMethod.Get, "team/upstream");
        (await get.Content.ReadAsStringAsync()).Should().Contain("https://pypi.example/simple/\"");
    }

    [Fact]
    public async Task A_stored_mirror_url_that_is_unusable_answers_502_naming_the_mirror_and_is_never_shown()
    {
        await _server.CreateIndexAsync("team", "upstream", """{"type": "mirror", "mirror_url": "http://127.0.0.1:9/simple/"}""");
        await _server.CreateIndexAsync("team", "stage", """{"bases": ["team/upstream"]}""");
        await _server.StopKeepingDataAsync();
        // Stored before today's rules (or by hand): a query holding a token.
        using (var db = Storage.PackageStore.Open(_server.DataDirectory, Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(_server.DataDirectory)))
        using (var writer = await db.Metadata.WriteAsync())
        {
            var record = writer.Indexes().Single(i => i.User == "team" && i.Name == "upstream");
            writer.UpdateIndex(record with { ConfigJson = record.ConfigJson.Replace("http://127.0.0.1:9/simple/", "http://127.0.0.1:9/simple/?token=sekrit", StringComparison.Ordinal) });
            writer.Commit();
        }
        _server = await TestServer.StartAsync(o => o with { LogLevel = Microsoft.Extensions.Logging.LogLevel.Information }, _server.DataDirectory);
        foreach (var path in new[] { "team/upstream/+simple/foo/", "team/stage/+simple/foo/", "team/upstream/+simple/" })
        {
            using var response = path.Contains("+simple", StringComparison.Ordinal) ? await _server.Client.GetAsync(path) : await _server.SendAsync(HttpMethod.Get, path);
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.BadGateway, $"{path}: {body}");
            body.Should().Contain("team/upstream").And.Contain("query").And.NotContain("sekrit");
        }
        foreach (var path in new[] { "team/upstream", "", "team", "team/stage/+simple/", "team/stage/foo", "team/upstream/foo" })
        {
            using var response = path.Contains("+simple", StringComparison.Ordinal) ? await _server.Client.GetAsync(path) : await _server.SendAsync(HttpMethod.Get, path);
            ((int)response.StatusCode).Should().BeOneOf([200, 404, 502], path);
            (await response.Content.ReadAsStringAsync()).Should().NotContain("sekrit");
        }
        _server.Log.Text.Should().NotContain("sekrit");
    }
}
