using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

[Integration]
public sealed class UserAndAuthTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Anyone_creates_a_user_once()
    {
        await _server.CreateUserAsync("alice");
        using var again = await _server.SendAsync(HttpMethod.Put, "alice", json: """{"password": "x"}""");
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("""{"email": "a@b"}""", "password is required")]
    [InlineData("""{"password": "x", "color": "red"}""", "unknown key 'color'")]
    [InlineData("""{"password": 5}""", "'password' must be a string")]
    [InlineData("not json", "not valid JSON")]
    public async Task Bad_user_bodies_are_refused_and_create_nothing(string body, string message)
    {
        using var response = await _server.SendAsync(HttpMethod.Put, "bob", json: body);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message);
        using var get = await _server.SendAsync(HttpMethod.Get, "bob");
        get.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Login_returns_a_token_usable_as_password_in_both_headers()
    {
        await _server.CreateUserAsync("carol");
        using var login = await _server.SendAsync(HttpMethod.Post, "+login", json: """{"user": "carol", "password": "carol-pw"}""");
        login.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = JsonNode.Parse(await login.Content.ReadAsStringAsync())!["result"]!;
        result["expiration"]!.GetValue<long>().Should().Be(36000);
        var token = result["password"]!.GetValue<string>();
        token.Should().NotBe("carol-pw");

        var request = _server.Request(HttpMethod.Get, "+api");
        request.Headers.Add("X-Devpi-Auth", Convert.ToBase64String(Encoding.UTF8.GetBytes("carol:" + token)));
        using var viaDevpi = await _server.Client.SendAsync(request);
        JsonNode.Parse(await viaDevpi.Content.ReadAsStringAsync())!["result"]!["authstatus"]![1]!.GetValue<string>().Should().Be("carol");

        using var viaBasic = await _server.SendAsync(HttpMethod.Get, "+api", "carol", token);
        JsonNode.Parse(await viaBasic.Content.ReadAsStringAsync())!["result"]!["authstatus"]![0]!.GetValue<string>().Should().Be("ok");
    }

    [Fact]
    public async Task Bad_login_is_401_but_bad_credentials_elsewhere_are_just_anonymous()
    {
        await _server.CreateUserAsync("dave");
        using var login = await _server.SendAsync(HttpMethod.Post, "+login", json: """{"user": "dave", "password": "wrong"}""");
        login.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var api = await _server.SendAsync(HttpMethod.Get, "+api", "dave", "wrong");
        api.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await api.Content.ReadAsStringAsync())!["result"]!["authstatus"]![0]!.GetValue<string>().Should().Be("noauth");
        using var forged = await _server.SendAsync(HttpMethod.Get, "+api", "dave", "ZGF2ZXwxOTk5OTk5OTk5fGFi.AAAA");
        JsonNode.Parse(await forged.Content.ReadAsStringAsync())!["result"]!["authstatus"]![0]!.GetValue<string>().Should().Be("noauth");
    }

    [Theory]
    [InlineData("""{"user": "dave"}""")]
    [InlineData("""{"password": "dave-pw"}""")]
    [InlineData("""{"user": "dave", "password": 7}""")]
    public async Task A_login_without_a_user_or_a_password_is_a_bad_request_saying_what_to_send(string body)
    {
        using var login = await _server.SendAsync(HttpMethod.Post, "+login", json: body);

        login.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await login.Content.ReadAsStringAsync())!["message"]!.GetValue<string>()
            .Should().Be("""a log-in is {"user": NAME, "password": PASSWORD or a token}, both strings""");
    }

    [Fact]
    public async Task Password_change_returns_a_new_token_and_revokes_the_old_ones()
    {
        await _server.CreateUserAsync("erin");
        using var login = await _server.SendAsync(HttpMethod.Post, "+login", json: """{"user": "erin", "password": "erin-pw"}""");
        var oldToken = JsonNode.Parse(await login.Content.ReadAsStringAsync())!["result"]!["password"]!.GetValue<string>();
        using var patch = await _server.SendAsync(HttpMethod.Patch, "erin", "erin", "erin-pw", """{"password": "new-pw"}""");
        patch.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await patch.Content.ReadAsStringAsync())!["type"]!.GetValue<string>().Should().Be("userpassword");
        using var old = await _server.SendAsync(HttpMethod.Get, "+api", "erin", oldToken);
        JsonNode.Parse(await old.Content.ReadAsStringAsync())!["result"]!["authstatus"]![0]!.GetValue<string>().Should().Be("noauth");
        using var fresh = await _server.SendAsync(HttpMethod.Get, "+api", "erin", "new-pw");
        JsonNode.Parse(await fresh.Content.ReadAsStringAsync())!["result"]!["authstatus"]![0]!.GetValue<string>().Should().Be("ok");
    }

    public static TheoryData<string?, HttpStatusCode> ModifyMatrix => new()
    {
        { null, HttpStatusCode.Unauthorized },
        { "other", HttpStatusCode.Forbidden },
        { "frank", HttpStatusCode.OK },
        { "root", HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(ModifyMatrix))]
    public async Task Only_the_user_and_root_modify_a_user(string? actor, HttpStatusCode expected)
    {
        await _server.CreateUserAsync("frank");
        await _server.CreateUserAsync("other");
        using var response = await _server.SendAsync(HttpMethod.Patch, "frank", actor, Password(actor), """{"title": "changed"}""");
        response.StatusCode.Should().Be(expected);
        var title = JsonNode.Parse(await _server.Client.GetStringAsync("frank"))!["result"]!["title"]!.GetValue<string>();
        title.Should().Be(expected == HttpStatusCode.OK ? "changed" : "");
    }

    [Theory]
    [MemberData(nameof(ModifyMatrix))]
    public async Task Only_the_user_and_root_delete_a_user(string? actor, HttpStatusCode expected)
    {
        await _server.CreateUserAsync("frank");
        await _server.CreateUserAsync("other");
        using var response = await _server.SendAsync(HttpMethod.Delete, "frank", actor, Password(actor));
        response.StatusCode.Should().Be(expected);
        using var get = await _server.SendAsync(HttpMethod.Get, "frank");
        get.StatusCode.Should().Be(expected == HttpStatusCode.OK ? HttpStatusCode.NotFound : HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_user_owning_a_non_volatile_index_cannot_be_deleted()
    {
        await _server.CreateUserAsync("grace");
        await _server.CreateIndexAsync("grace", "prod", """{"volatile": false}""");
        using var response = await _server.SendAsync(HttpMethod.Delete, "grace", "grace", "grace-pw");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain("non-volatile index");
    }

    [Fact]
    public async Task Root_exists_from_the_first_start_with_the_configured_password()
    {
        using var response = await _server.SendAsync(HttpMethod.Post, "+login", json: $$"""{"user": "root", "password": "{{TestServer.RootPassword}}"}""");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    internal static string? Password(string? user) => user switch
    {
        null => null,
        "root" => TestServer.RootPassword,
        _ => user + "-pw",
    };
}
