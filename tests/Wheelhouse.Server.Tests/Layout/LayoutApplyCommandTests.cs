using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Layout;

/// <summary><c>wheelhouse-server layout apply</c> run as a real process on a fresh data directory, checked over HTTP.</summary>
[Integration]
public sealed class LayoutApplyCommandTests : IDisposable
{
    private static readonly string ExamplePath = Wheelhouse.Testing.RepositoryRoot.Combine("docs", "examples", "department-layout.yaml");

    private readonly string _dir = Directory.CreateTempSubdirectory("wh-layout-").FullName;

    private string Data => Path.Combine(_dir, "data");

    public void Dispose() => Directory.Delete(_dir, true);

    private Task<LayoutCommand.Result> RunAsync(params string[] args) => LayoutCommand.RunAsync(_dir, Data, args);

    [Fact]
    public async Task The_example_layout_gives_exactly_the_spec_s_indexes_and_a_second_apply_changes_nothing()
    {
        var dry = await RunAsync("layout", "apply", ExamplePath, "--dry-run");
        dry.Code.Should().Be(0, dry.Err);
        dry.Out.Should().Contain("would create index shared/stable").And.Contain("would create user qa");

        var first = await RunAsync("layout", "apply", ExamplePath);
        first.Code.Should().Be(0, first.Err);
        first.Out.Should().Contain("create index team-b/dev").And.Contain("applied");
        first.Out.Should().NotContain("index root/pypi", "the server's own root/pypi already matches the example");
        var second = await RunAsync("layout", "apply", ExamplePath);
        second.Code.Should().Be(0, second.Err);
        second.Out.Should().Contain("no changes");

        await using var server = await TestServer.StartAsync(dataDirectory: Data);
        var indexes = new List<string>();
        foreach (var user in new[] { "root", "shared", "qa", "team-a", "team-b" })
        {
            var userconfig = await JsonAsync(server, user);
            indexes.AddRange(userconfig["result"]!["indexes"]!.AsObject().Select(p => $"{user}/{p.Key}"));
        }
        indexes.Should().BeEquivalentTo(
            "root/pypi", "shared/stable-local", "shared/thirdparty-local", "shared/stable",
            "team-a/staging", "team-a/dev", "team-b/staging", "team-b/dev");

        var stable = (await JsonAsync(server, "shared/stable"))["result"]!;
        stable["bases"]!.AsArray().Select(b => (string?)b).Should().Equal("shared/stable-local", "shared/thirdparty-local", "root/pypi");
        stable["volatile"]!.GetValue<bool>().Should().BeFalse();
        var pypi = (await JsonAsync(server, "root/pypi"))["result"]!;
        ((string?)pypi["type"]).Should().Be("mirror");
        ((string?)pypi["mirror_url"]).Should().Be("https://pypi.org/simple/");
        var stableLocal = (await JsonAsync(server, "shared/stable-local"))["result"]!;
        stableLocal["acl_upload"]!.AsArray().Select(b => (string?)b).Should().Equal(":qa");

        // Users log in with the password from their variable and carry their layout groups.
        using var api = server.Request(HttpMethod.Get, "+api", "qa", "qa-secret");
        api.Headers.Accept.ParseAdd("application/json");
        using var response = await server.Client.SendAsync(api);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["authstatus"]!.AsArray();
        status.Select(n => n!.ToJsonString()).Should().Equal("\"ok\"", "\"qa\"", "[\"qa\"]");
    }

    [Fact]
    public async Task A_dry_run_changes_nothing_and_a_bad_layout_exits_65_naming_the_problem()
    {
        var bad = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, "version: 1\nindexes:\n  team-x/dev:\n    colour: red\n");

        var dry = await RunAsync("layout", "apply", ExamplePath, "--dry-run");
        var refused = await RunAsync("layout", "apply", bad);

        dry.Code.Should().Be(0, dry.Err);
        refused.Code.Should().Be(65);
        refused.Err.Should().Contain("colour");
        await using var server = await TestServer.StartAsync(dataDirectory: Data);
        using var response = await server.Client.GetAsync("shared");
        ((int)response.StatusCode).Should().Be(404, "neither the dry run nor the refused layout created anything");
    }

    private static async Task<JsonNode> JsonAsync(TestServer server, string path)
    {
        using var request = server.Request(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await server.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(200, body);
        return JsonNode.Parse(body)!;
    }
}
