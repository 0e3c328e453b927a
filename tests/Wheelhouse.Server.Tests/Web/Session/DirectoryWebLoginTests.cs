using System.Net;
using Wheelhouse.Server.Tests.Ldap;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Session;

/// <summary>A directory user logs in through the browser's form against a real slapd; its directory groups count in the pages.</summary>
[Collection(SlapdCollection.Name)]
[Integration]
public sealed class DirectoryWebLoginTests(Slapd slapd) : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await Slapd.StartServerAsync(slapd.WriteServerConfig(slapd.LdapUrl));
        using var index = await _server.SendAsync(HttpMethod.Put, "root/team", "root", TestServer.RootPassword,
            """{"type": "stage", "bases": [], "volatile": true, "acl_upload": [":engineering"]}""");
        index.StatusCode.Should().Be(HttpStatusCode.OK, await index.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_directory_user_logs_in_with_its_directory_password_and_its_groups_grant_upload()
    {
        using var wrong = new FormClient(_server.BaseUrl);
        (await wrong.LogInAsync("alice", "not-alice-pw")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var alice = new FormClient(_server.BaseUrl);
        (await alice.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var (_, home) = await alice.GetAsync("/");
        home.Should().Contain("Indexes you may upload to").And.Contain("root/team", "alice is in engineering through the nested group backend");

        using var bob = new FormClient(_server.BaseUrl);
        (await bob.LogInAsync("bob", "bob-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var (_, bobsHome) = await bob.GetAsync("/");
        bobsHome.Should().NotContain("Indexes you may upload to", "bob's groups (qa, tools) are not in acl_upload");
    }
}
