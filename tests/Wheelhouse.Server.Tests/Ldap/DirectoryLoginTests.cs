using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Ldap;

/// <summary>The server with a directory: devpi login, twine-style Basic auth, groups in ACLs, accounts without a password, outages.</summary>
[Collection(SlapdCollection.Name)]
[Integration]
public sealed class DirectoryLoginTests(Slapd slapd) : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _config = null!;

    private string WriteConfig(string url, double timeout = 3) => slapd.WriteServerConfig(url, timeout);

    public async Task InitializeAsync()
    {
        _config = WriteConfig(slapd.LdapUrl);
        _server = await Start(_config);
        using var index = await _server.SendAsync(HttpMethod.Put, "root/team", "root", TestServer.RootPassword,
            """{"type": "stage", "bases": [], "acl_upload": [":engineering"]}""");
        index.StatusCode.Should().Be(HttpStatusCode.OK, await index.Content.ReadAsStringAsync());
    }

    private static Task<TestServer> Start(string config, string? dataDirectory = null) => Slapd.StartServerAsync(config, dataDirectory);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> Login(TestServer server, string user, string password)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "+login", json: new JsonObject { ["user"] = user, ["password"] = password }.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task A_directory_user_logs_in_with_devpi_login_and_the_token_carries_the_groups()
    {
        var (status, body) = await Login(_server, "alice", "alice-pw");
        status.Should().Be(HttpStatusCode.OK);
        var token = body!["result"]!["password"]!.GetValue<string>();
        using var request = _server.Request(HttpMethod.Get, "+api");
        request.Headers.Add("X-Devpi-Auth", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"alice:{token}")));
        using var api = await _server.Client.SendAsync(request);
        JsonNode.Parse(await api.Content.ReadAsStringAsync())!["result"]!["authstatus"]![0]!.GetValue<string>().Should().Be("ok");
        // The nested group (engineering, via backend) lets the token upload where acl_upload names it.
        await _server.UploadWheelAsync("root/team", "alice", "alicepkg", "1.0", password: token);
    }

    [Fact]
    public async Task Basic_auth_with_the_directory_password_uploads_for_a_member_and_is_403_for_others()
    {
        await _server.UploadWheelAsync("root/team", "alice", "basicpkg", "1.0", password: "alice-pw");
        var form = Distributions.Form("bobpkg", "1.0", Distributions.Wheel("bobpkg", "1.0"), Distributions.WheelName("bobpkg", "1.0"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "root/team/") { Content = form };
        request.Headers.Authorization = TestServer.Basic("bob", "bob-pw");
        using var response = await _server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{await response.Content.ReadAsStringAsync()}\n{_server.Log.Text}");
    }

    [Fact]
    public async Task Wrong_passwords_unknown_users_and_root_look_the_same()
    {
        var wrong = await Login(_server, "alice", "nope");
        var unknown = await Login(_server, "zed", "nope");
        var empty = await Login(_server, "alice", "");
        var injected = await Login(_server, "*)(uid=*))(|(uid=*", "alice-pw");
        new[] { wrong, unknown, empty }.Select(r => r.Status).Should().AllBeEquivalentTo(HttpStatusCode.Unauthorized);
        wrong.Body!.ToJsonString().Should().Be(unknown.Body!.ToJsonString()).And.Be(empty.Body!.ToJsonString());
        injected.Status.Should().Be(HttpStatusCode.Unauthorized);
        (await Login(_server, "root", TestServer.RootPassword)).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_account_without_a_password_is_created_for_names_the_directory_knows_only()
    {
        using (var created = await _server.SendAsync(HttpMethod.Put, "carol", json: """{"email": "carol@example.com"}"""))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }
        using (var unknown = await _server.SendAsync(HttpMethod.Put, "zed", json: "{}"))
        {
            unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await unknown.Content.ReadAsStringAsync()).Should().Contain("the user directory knows no user zed");
        }
        // carol logs in with the directory's password only and creates her own index.
        using (var index = await _server.SendAsync(HttpMethod.Put, "carol/dev", "carol", "carol-pw", "{}"))
        {
            index.StatusCode.Should().Be(HttpStatusCode.OK, await index.Content.ReadAsStringAsync());
        }
        (await Login(_server, "carol", "")).Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_directory_user_without_an_account_gets_one_with_the_first_index_they_create_as_in_devpi()
    {
        using (var index = await _server.SendAsync(HttpMethod.Put, "alice/dev", "alice", "alice-pw", """{"bases": ["root/team"]}"""))
        {
            index.StatusCode.Should().Be(HttpStatusCode.OK, await index.Content.ReadAsStringAsync());
        }
        using (var account = await _server.SendAsync(HttpMethod.Get, "alice"))
        {
            account.StatusCode.Should().Be(HttpStatusCode.OK);
            JsonNode.Parse(await account.Content.ReadAsStringAsync())!["result"]!["indexes"]!["dev"]!["bases"]![0]!.GetValue<string>().Should().Be("root/team");
        }
        (await Login(_server, "alice", "")).Status.Should().Be(HttpStatusCode.Unauthorized, "the account has no local password");
        (await Login(_server, "alice", "alice-pw")).Status.Should().Be(HttpStatusCode.OK);

        foreach (var (who, password) in new[] { ((string?)null, (string?)null), ("alice", "alice-pw") })
        {
            using var other = await _server.SendAsync(HttpMethod.Put, "bob/dev", who, password, "{}");
            other.StatusCode.Should().Be(HttpStatusCode.NotFound, "only bob himself may bring bob's account about");
            (await other.Content.ReadAsStringAsync()).Should().Contain("user bob does not exist");
        }
        using var users = await _server.SendAsync(HttpMethod.Get, "");
        JsonNode.Parse(await users.Content.ReadAsStringAsync())!["result"]!.AsObject().Select(u => u.Key).Should().BeEquivalentTo(["root", "alice"]);
    }

    [Fact]
    public async Task A_silent_directory_is_503_for_its_users_while_local_users_and_issued_tokens_keep_working()
    {
        var (_, body) = await Login(_server, "bob", "bob-pw");
        var token = body!["result"]!["password"]!.GetValue<string>();
        await _server.CreateUserAsync("local");
        await _server.StopKeepingDataAsync();

        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        _server = await Start(WriteConfig($"ldap://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", timeout: 0.5), _server.DataDirectory);
        var clock = Stopwatch.StartNew();
        var (status, refused) = await Login(_server, "alice", "alice-pw");
        clock.Stop();
        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused!["message"]!.GetValue<string>().Should().Contain("unreachable");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        using (var upload = await _server.SendAsync(HttpMethod.Get, "+api", "alice", "alice-pw"))
        {
            upload.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "Basic auth of a directory user needs the directory");
        }
        (await Login(_server, "root", TestServer.RootPassword)).Status.Should().Be(HttpStatusCode.OK);
        (await Login(_server, "local", "local-pw")).Status.Should().Be(HttpStatusCode.OK);
        (await Login(_server, "bob", token)).Status.Should().Be(HttpStatusCode.OK, "a token already issued needs no directory");
    }

    [Fact]
    public async Task The_failed_login_limit_counts_directory_log_ins_too()
    {
        for (var i = 0; i < Wheelhouse.Server.Auth.LoginThrottle.Limit; i++)
        {
            (await Login(_server, "bob", $"guess-{i}")).Status.Should().Be(HttpStatusCode.Unauthorized);
        }
        (await Login(_server, "bob", "bob-pw")).Status.Should().Be(HttpStatusCode.TooManyRequests, "not even the right password is checked now");
    }
}
