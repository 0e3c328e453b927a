using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

[Integration]
public sealed class IndexTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateUserAsync("other");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string?, HttpStatusCode> CreateMatrix => new()
    {
        { null, HttpStatusCode.Unauthorized },
        { "other", HttpStatusCode.Forbidden },
        { "team", HttpStatusCode.OK },
        { "root", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(CreateMatrix))]
    public async Task The_user_and_root_create_its_indexes(string? actor, HttpStatusCode expected)
    {
        using var response = await _server.SendAsync(HttpMethod.Put, "team/dev", actor, UserAndAuthTests.Password(actor), "{}");
        response.StatusCode.Should().Be(expected);
        using var get = await _server.SendAsync(HttpMethod.Get, "team/dev");
        get.StatusCode.Should().Be(expected == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(CreateMatrix))]
    public async Task Root_and_the_owner_modify_and_delete_an_index(string? actor, HttpStatusCode expected)
    {
        await _server.CreateIndexAsync("team", "dev");
        using var patch = await _server.SendAsync(HttpMethod.Patch, "team/dev", actor, UserAndAuthTests.Password(actor), """{"title": "T"}""");
        patch.StatusCode.Should().Be(expected);
        using var delete = await _server.SendAsync(HttpMethod.Delete, "team/dev", actor, UserAndAuthTests.Password(actor));
        delete.StatusCode.Should().Be(expected == HttpStatusCode.OK ? HttpStatusCode.Created : expected);
    }

    [Fact]
    public async Task Defaults_follow_devpi()
    {
        await _server.CreateIndexAsync("team", "dev");
        var config = await ConfigAsync("team/dev");
        config["type"]!.GetValue<string>().Should().Be("stage");
        config["volatile"]!.GetValue<bool>().Should().BeTrue();
        config["acl_upload"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("team");
        config["bases"]!.AsArray().Should().BeEmpty();
        config["mirror_whitelist_inheritance"]!.GetValue<string>().Should().Be("intersection");
    }

    [Theory]
    [InlineData("""{"colour": "blue"}""", "colour")]
    [InlineData("""{"bases": "team/missing"}""", "team/missing")]
    [InlineData("""{"volatile": "maybe"}""", "volatile")]
    [InlineData("""{"type": "weird"}""", "weird")]
    public async Task Bad_index_configs_are_refused_naming_the_problem(string body, string named)
    {
        using var response = await _server.SendAsync(HttpMethod.Put, "team/bad", "team", "team-pw", body);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(named);
        using var get = await _server.SendAsync(HttpMethod.Get, "team/bad");
        get.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Existing_index_is_a_conflict()
    {
        await _server.CreateIndexAsync("team", "dev");
        using var response = await _server.SendAsync(HttpMethod.Put, "team/dev", "team", "team-pw", "{}");
        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Patch_accepts_dicts_and_key_value_lists()
    {
        await _server.CreateIndexAsync("team", "base1");
        await _server.CreateIndexAsync("team", "base2");
        await _server.CreateIndexAsync("team", "dev", """{"bases": "team/base1", "volatile": "no"}""");
        (await PatchAsync("team/dev", """["bases+=team/base2", "acl_upload+=:AUTHENTICATED:", "title=Dev"]""")).Should().Be(HttpStatusCode.OK);
        var config = await ConfigAsync("team/dev");
        config["bases"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("team/base1", "team/base2");
        config["acl_upload"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("team", ":AUTHENTICATED:");
        config["title"]!.GetValue<string>().Should().Be("Dev");
        config["volatile"]!.GetValue<bool>().Should().BeFalse();
        (await PatchAsync("team/dev", """["bases-=team/base1"]""")).Should().Be(HttpStatusCode.OK);
        (await ConfigAsync("team/dev"))["bases"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("team/base2");
        (await PatchAsync("team/dev", """["bases-="]""")).Should().Be(HttpStatusCode.OK);
        (await ConfigAsync("team/dev"))["bases"]!.AsArray().Should().BeEmpty();
        (await PatchAsync("team/dev", """{"description": "D", "volatile": true}""")).Should().Be(HttpStatusCode.OK);
        (await ConfigAsync("team/dev"))["volatile"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Type_cannot_change_and_bad_patches_change_nothing()
    {
        await _server.CreateIndexAsync("team", "dev", """{"title": "Before"}""");
        using var response = await _server.SendAsync(HttpMethod.Patch, "team/dev", "team", "team-pw", """["type=mirror"]""");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("can't be changed");
        (await PatchAsync("team/dev", """["title=After", "nonsense"]""")).Should().Be(HttpStatusCode.BadRequest);
        (await PatchAsync("team/dev", """{"title": "After", "unknown_key": 1}""")).Should().Be(HttpStatusCode.BadRequest);
        (await ConfigAsync("team/dev"))["title"]!.GetValue<string>().Should().Be("Before");
    }

    [Fact]
    public async Task Non_volatile_index_cannot_be_deleted()
    {
        await _server.CreateIndexAsync("team", "prod", """{"volatile": false}""");
        using var response = await _server.SendAsync(HttpMethod.Delete, "team/prod", "root", TestServer.RootPassword);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _server.SendAsync(HttpMethod.Get, "team/prod")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task User_config_lists_its_indexes()
    {
        await _server.CreateIndexAsync("team", "dev");
        var user = JsonNode.Parse(await _server.Client.GetStringAsync("team"))!["result"]!;
        user["indexes"]!["dev"]!["type"]!.GetValue<string>().Should().Be("stage");
    }

    private async Task<HttpStatusCode> PatchAsync(string path, string body)
    {
        using var response = await _server.SendAsync(HttpMethod.Patch, path, "team", "team-pw", body);
        return response.StatusCode;
    }

    private async Task<JsonNode> ConfigAsync(string path) =>
        JsonNode.Parse(await _server.Client.GetStringAsync(path))!["result"]!;
}
