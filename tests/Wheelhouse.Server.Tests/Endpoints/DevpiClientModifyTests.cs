using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary>
/// Issue 9, item 7: the requests devpi-client 7.2 really sends for every subcommand that modifies something, replayed
/// as its sources (client/devpi/user.py, index.py, main.py) build them; the client itself is not installable here
/// (not in Debian, PyPI unreachable). <c>user -m</c> and <c>passwd</c> GET the userconfig, set the keys, drop
/// <c>indexes</c> and <c>username</c>, and PATCH the rest back (so <c>created</c> too); <c>index -m</c> PATCHes the
/// list of <c>key=value</c> operations when the server announces <c>server-keyvalue-parsing</c>, else the config it
/// read (<c>?no_projects</c>) with the changed keys.
/// </summary>
[Integration]
public sealed class DevpiClientModifyTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bob");
        await _server.CreateIndexAsync("alice", "dev");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonObject> ResultAsync(string path)
    {
        using var get = await _server.SendAsync(HttpMethod.Get, path, "alice", "alice-pw");
        get.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await get.Content.ReadAsStringAsync())!["result"]!.AsObject();
    }

    /// <summary>user.py user_modify: the record read, changed keys set, indexes and username popped, PATCHed back.</summary>
    private async Task<HttpResponseMessage> UserModifyAsync(params (string Key, string Value)[] changes)
    {
        var record = await ResultAsync("alice");
        foreach (var (key, value) in changes.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            record[key] = value;
        }
        record.Remove("indexes");
        record.Remove("username");
        return await _server.SendAsync(HttpMethod.Patch, "alice", "alice", "alice-pw", record.ToJsonString());
    }

    [Fact]
    public async Task User_modify_sends_back_created_and_succeeds()
    {
        using var patch = await UserModifyAsync(("email", "alice@example.com"));
        patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        (await ResultAsync("alice"))["email"]!.GetValue<string>().Should().Be("alice@example.com");
    }

    [Fact]
    public async Task Passwd_sends_back_created_and_changes_the_password()
    {
        using var patch = await UserModifyAsync(("password", "new-secret"));
        patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        JsonNode.Parse(await patch.Content.ReadAsStringAsync())!["type"]!.GetValue<string>().Should().Be("userpassword");
        using var login = await _server.SendAsync(HttpMethod.Post, "+login", json: """{"user": "alice", "password": "new-secret"}""");
        login.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reported_keys_sent_back_unchanged_are_accepted()
    {
        var record = await ResultAsync("alice"); // indexes and username kept, as older clients and scripts send them
        record["title"] = "Alice";
        using var patch = await _server.SendAsync(HttpMethod.Patch, "alice", "alice", "alice-pw", record.ToJsonString());
        patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("created", "\"2001-01-01T00:00:00Z\"")]
    [InlineData("username", "\"mallory\"")]
    [InlineData("indexes", "{}")]
    public async Task Reported_keys_that_are_changed_are_refused_once_with_a_clear_400(string key, string value)
    {
        var record = await ResultAsync("alice");
        record[key] = JsonNode.Parse(value);
        record["email"] = "changed@example.com";
        using var patch = await _server.SendAsync(HttpMethod.Patch, "alice", "alice", "alice-pw", record.ToJsonString());
        patch.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var message = JsonNode.Parse(await patch.Content.ReadAsStringAsync())!["message"]!.GetValue<string>();
        message.Should().Contain($"'{key}'").And.Contain("cannot be changed");
        patch.ReasonPhrase.Should().Be("Bad Request", "devpi prints the reason and then the message: the message must not appear twice");
        (await ResultAsync("alice"))["email"]!.GetValue<string>().Should().NotBe("changed@example.com", "a refused change changes nothing");
    }

    [Fact]
    public async Task Unknown_user_keys_are_still_refused()
    {
        using var patch = await UserModifyAsync(("color", "red"));
        patch.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await patch.Content.ReadAsStringAsync()).Should().Contain("unknown key 'color'");
    }

    [Fact]
    public async Task The_server_announces_keyvalue_parsing_so_index_modify_sends_operations()
    {
        var api = await ResultAsync("+api");
        api["features"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Contain("server-keyvalue-parsing");
    }

    [Theory]
    [InlineData("""["title=Dev"]""", "title", "Dev")]
    [InlineData("""["acl_upload+=bob"]""", "acl_upload", "alice,bob")]
    [InlineData("""["acl_upload=alice,bob", "acl_upload-=bob"]""", "acl_upload", "alice")]
    [InlineData("""["bases=root/pypi"]""", "bases", "root/pypi")]
    [InlineData("""["mirror_whitelist+=foo", "mirror_whitelist_inheritance=union"]""", "mirror_whitelist", "foo")]
    [InlineData("""["volatile=False"]""", "volatile", "false")]
    public async Task Index_modify_with_operations_works(string operations, string key, string expected)
    {
        using var patch = await _server.SendAsync(HttpMethod.Patch, "alice/dev", "alice", "alice-pw", operations);
        patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        var value = (await ResultAsync("alice/dev?no_projects="))[key]!;
        var shown = value is JsonArray list ? string.Join(",", list.Select(v => v!.ToString())) : value.ToString();
        shown.Should().Be(expected);
    }

    [Fact]
    public async Task Index_modify_without_keyvalue_parsing_sends_the_config_it_read()
    {
        await _server.UploadWheelAsync("alice/dev", "alice", "demo", "1.0");
        var config = await ResultAsync("alice/dev?no_projects=");
        config["title"] = "Dev";
        using var patch = await _server.SendAsync(HttpMethod.Patch, "alice/dev", "alice", "alice-pw", config.ToJsonString());
        patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());

        var withProjects = await ResultAsync("alice/dev");
        withProjects["description"] = "unchanged projects are accepted";
        using var same = await _server.SendAsync(HttpMethod.Patch, "alice/dev", "alice", "alice-pw", withProjects.ToJsonString());
        same.StatusCode.Should().Be(HttpStatusCode.OK, await same.Content.ReadAsStringAsync());

        withProjects["projects"] = new JsonArray("other");
        using var changed = await _server.SendAsync(HttpMethod.Patch, "alice/dev", "alice", "alice-pw", withProjects.ToJsonString());
        changed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await changed.Content.ReadAsStringAsync()).Should().Contain("'projects'").And.Contain("cannot be changed");
        changed.ReasonPhrase.Should().Be("Bad Request");
    }
}
