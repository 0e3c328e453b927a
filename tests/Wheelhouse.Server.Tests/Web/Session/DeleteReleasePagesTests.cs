using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Session;

/// <summary>Deleting a release from the browser: confirmation, CSRF, and the application service's rules (volatile, acl_upload).</summary>
[Integration]
public sealed class DeleteReleasePagesTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bob");
        await _server.CreateIndexAsync("alice", "dev", """{"volatile": true}""");
        await _server.CreateIndexAsync("alice", "prod", """{"volatile": false}""");
        await _server.UploadWheelAsync("alice/dev", "alice", "pkg", "1.0");
        await _server.UploadWheelAsync("alice/dev", "alice", "pkg", "2.0");
        await _server.UploadWheelAsync("alice/prod", "alice", "pkg", "1.0");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpStatusCode> VersionStatus(string index, string version)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, $"{index}/pkg/{version}");
        return response.StatusCode;
    }

    [Fact]
    public async Task The_owner_confirms_and_deletes_from_a_volatile_index()
    {
        using var browser = new FormClient(_server.BaseUrl);
        (await browser.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var (page, html) = await browser.GetAsync("/alice/dev/pkg/1.0/+delete");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("pkg-1.0-py3-none-any.whl").And.Contain("Delete pkg 1.0");
        using var delete = await browser.PostAsync("/alice/dev/pkg/1.0/+delete", ("csrf_token", FormClient.CsrfOf(html)));
        delete.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        delete.Headers.Location!.ToString().Should().Be(_server.BaseUrl + "/alice/dev/pkg", "2.0 is still there");
        (await VersionStatus("alice/dev", "1.0")).Should().Be(HttpStatusCode.NotFound);
        (await VersionStatus("alice/dev", "2.0")).Should().Be(HttpStatusCode.OK);

        var token = await browser.CsrfTokenAsync("/alice/dev/pkg/2.0/+delete");
        using var last = await browser.PostAsync("/alice/dev/pkg/2.0/+delete", ("csrf_token", token));
        last.Headers.Location!.ToString().Should().Be(_server.BaseUrl + "/alice/dev", "no version of pkg is left to show");
    }

    [Fact]
    public async Task A_forged_post_deletes_nothing()
    {
        using var browser = new FormClient(_server.BaseUrl);
        (await browser.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        using var noToken = await browser.PostAsync("/alice/dev/pkg/1.0/+delete");
        noToken.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var anonymousToken = new FormClient(_server.BaseUrl);
        var before = await anonymousToken.CsrfTokenAsync("/+login");
        using var wrongToken = await browser.PostAsync("/alice/dev/pkg/1.0/+delete", ("csrf_token", before));
        wrongToken.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await VersionStatus("alice/dev", "1.0")).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Anonymous_is_sent_to_log_in_and_cannot_delete()
    {
        using var browser = new FormClient(_server.BaseUrl);
        var (page, _) = await browser.GetAsync("/alice/dev/pkg/1.0/+delete");
        page.StatusCode.Should().Be(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().Should().Be(_server.BaseUrl + "/+login?next=%2Falice%2Fdev%2Fpkg%2F1.0%2F%2Bdelete");
        var token = await browser.CsrfTokenAsync("/+login");
        using var post = await browser.PostAsync("/alice/dev/pkg/1.0/+delete", ("csrf_token", token));
        post.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the service refuses and logging in could help");
        (await VersionStatus("alice/dev", "1.0")).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_user_and_a_non_volatile_index_are_refused_by_the_service()
    {
        using var bob = new FormClient(_server.BaseUrl);
        (await bob.LogInAsync("bob", "bob-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        (await bob.GetAsync("/alice/dev/pkg/1.0/+delete")).Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var token = await bob.CsrfTokenAsync("/+login");
        using var post = await bob.PostAsync("/alice/dev/pkg/1.0/+delete", ("csrf_token", token));
        post.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await post.Content.ReadAsStringAsync()).Should().Contain("acl_upload");

        using var alice = new FormClient(_server.BaseUrl);
        (await alice.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        (await alice.GetAsync("/alice/prod/pkg/1.0/+delete")).Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var aliceToken = await alice.CsrfTokenAsync("/+login");
        using var prod = await alice.PostAsync("/alice/prod/pkg/1.0/+delete", ("csrf_token", aliceToken));
        prod.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await prod.Content.ReadAsStringAsync()).Should().Contain("not volatile");
        (await VersionStatus("alice/prod", "1.0")).Should().Be(HttpStatusCode.OK);
    }
}
