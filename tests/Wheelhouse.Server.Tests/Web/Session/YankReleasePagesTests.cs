using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Session;

/// <summary>Yanking from the browser: the version page's link, the form with its reason, CSRF, and the service's rules.</summary>
[Integration]
public sealed class YankReleasePagesTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bob");
        await _server.CreateIndexAsync("alice", "prod", """{"volatile": false}""");
        await _server.UploadWheelAsync("alice/prod", "alice", "pkg", "1.0");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string?> SimpleLinkAsync()
    {
        var page = await _server.Client.GetStringAsync("alice/prod/+simple/pkg/");
        return page.Split('\n').Single(l => l.Contains("pkg-1.0-py3-none-any.whl</a>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_owner_yanks_with_a_reason_from_the_version_page_and_takes_it_back()
    {
        using var browser = new FormClient(_server.BaseUrl);
        (await browser.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var (_, version) = await browser.GetAsync("/alice/prod/pkg/1.0");
        version.Should().Contain($"href=\"{_server.BaseUrl}/alice/prod/pkg/1.0/+yank\"").And.Contain("Yank pkg 1.0 in alice/prod");

        var (form, html) = await browser.GetAsync("/alice/prod/pkg/1.0/+yank");
        form.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var yank = await browser.PostAsync("/alice/prod/pkg/1.0/+yank", ("csrf_token", FormClient.CsrfOf(html)), ("reason", " leaks memory ")))
        {
            yank.StatusCode.Should().Be(HttpStatusCode.SeeOther);
            yank.Headers.Location!.ToString().Should().Be(_server.BaseUrl + "/alice/prod/pkg/1.0");
        }
        (await SimpleLinkAsync()).Should().Contain(" data-yanked=\"leaks memory\"");
        var (_, yanked) = await browser.GetAsync("/alice/prod/pkg/1.0");
        yanked.Should().Contain("This release is yanked: leaks memory.").And.Contain("Take back the yank of pkg 1.0");

        var (_, undoForm) = await browser.GetAsync("/alice/prod/pkg/1.0/+yank");
        undoForm.Should().Contain("is yanked: leaks memory");
        using (var undo = await browser.PostAsync("/alice/prod/pkg/1.0/+yank", ("csrf_token", FormClient.CsrfOf(undoForm)), ("undo", "1")))
        {
            undo.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        }
        (await SimpleLinkAsync()).Should().NotContain("data-yanked");
    }

    [Fact]
    public async Task Another_user_sees_no_link_is_refused_and_a_forged_post_yanks_nothing()
    {
        using var bob = new FormClient(_server.BaseUrl);
        (await bob.LogInAsync("bob", "bob-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var (_, version) = await bob.GetAsync("/alice/prod/pkg/1.0");
        var (refused, refusedHtml) = await bob.GetAsync("/alice/prod/pkg/1.0/+yank");
        var token = await bob.CsrfTokenAsync("/+login");
        using var post = await bob.PostAsync("/alice/prod/pkg/1.0/+yank", ("csrf_token", token), ("reason", "mine now"));
        using var alice = new FormClient(_server.BaseUrl);
        (await alice.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        using var forged = await alice.PostAsync("/alice/prod/pkg/1.0/+yank", ("reason", "no token"));

        version.Should().NotContain("+yank");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        refusedHtml.Should().Contain("bob may not yank releases in alice/prod (acl_upload)");
        post.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        forged.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await SimpleLinkAsync()).Should().NotContain("data-yanked");
    }
}
