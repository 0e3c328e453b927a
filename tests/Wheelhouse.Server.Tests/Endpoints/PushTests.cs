using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary>Push (spec "Push", the QA gateway from team/staging into shared/stable-local), over HTTP.</summary>
[Integration]
public sealed class PushTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        foreach (var user in new[] { "team", "shared", "qa" })
        {
            await _server.CreateUserAsync(user);
        }
        await _server.CreateIndexAsync("team", "staging");
        await _server.CreateIndexAsync("team", "dev");
        await _server.CreateIndexAsync("shared", "stable-local", """{"volatile": false, "acl_upload": ["qa"], "refuse_prereleases": true}""");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<byte[]> UploadAsync(string index, string name, string version, string requiresPython = ">=3.8")
    {
        var wheel = Distributions.Wheel(name, version, requiresPython: requiresPython);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{index}/")
        {
            Content = Distributions.Form(name, version, wheel, Distributions.WheelName(name, version)),
        };
        request.Headers.Authorization = TestServer.Basic("team", "team-pw");
        using var response = await _server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return wheel;
    }

    private Task<HttpResponseMessage> PushAsync(string name, string version, string? user = "qa", string from = "team/staging", string to = "shared/stable-local", string? method = null) =>
        _server.SendAsync(new HttpMethod(method ?? "POST"), from, user, user is null ? null : user + "-pw",
            $$"""{"name": "{{name}}", "version": "{{version}}", "targetindex": "{{to}}"}""");

    [Theory]
    [InlineData("POST")]
    [InlineData("PUSH")]
    public async Task Qa_pushes_a_release_with_its_file_and_the_push_is_logged(string method)
    {
        var wheel = await UploadAsync("team/staging", "gizmo", "1.0");

        using var response = await PushAsync("gizmo", "1.0", method: method);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var json = JsonNode.Parse(body)!;
        ((string?)json["type"]).Should().Be("actionlog");
        var actions = json["result"]!.AsArray();
        actions[0]!.AsArray().Select(n => n!.ToString()).Should().Equal("200", "register", "gizmo", "1.0", "->", "shared/stable-local");
        ((string?)actions[1]![1]).Should().Be("store_releasefile");
        ((string?)actions[1]![2]).Should().StartWith("shared/stable-local/+f/" + Distributions.Sha256(wheel)[..3]);

        var page = await _server.Client.GetStringAsync("shared/stable-local/+simple/gizmo/");
        page.Should().Contain("#sha256=" + Distributions.Sha256(wheel));
        using var verdata = await _server.SendAsync(HttpMethod.Get, "shared/stable-local/gizmo/1.0");
        var log = JsonNode.Parse(await verdata.Content.ReadAsStringAsync())!["result"]!["+links"]![0]!["log"]!.AsArray();
        log.Select(e => (string?)e!["what"]).Should().Equal("upload", "push");
        ((string?)log[1]!["who"]).Should().Be("qa");
        ((string?)log[1]!["src"]).Should().Be("team/staging");
        ((string?)log[1]!["dst"]).Should().Be("shared/stable-local");
        log[1]!["when"]!.AsArray().Should().HaveCount(6);
        using var file = await _server.Client.GetAsync((string?)actions[1]![2]);
        (await file.Content.ReadAsByteArrayAsync()).Should().Equal(wheel);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("team")]
    public async Task Without_upload_rights_on_the_target_a_push_gets_401_and_changes_nothing(string? user)
    {
        await UploadAsync("team/staging", "gizmo", "1.0");

        using var response = await PushAsync("gizmo", "1.0", user);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("shared/stable-local");
        using var page = await _server.Client.GetAsync("shared/stable-local/+simple/gizmo/");
        page.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_pre_release_is_refused_by_a_refuse_prereleases_target_naming_version_and_option()
    {
        await UploadAsync("team/staging", "gizmo", "1.0rc1");

        using var response = await PushAsync("gizmo", "1.0rc1");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).Should().Contain("1.0rc1").And.Contain("refuse_prereleases");
    }

    [Fact]
    public async Task A_different_file_of_the_same_name_on_a_non_volatile_target_is_refused_with_409()
    {
        var first = await UploadAsync("team/staging", "gizmo", "2.0");
        (await PushAsync("gizmo", "2.0")).StatusCode.Should().Be(HttpStatusCode.OK);
        await UploadAsync("team/dev", "gizmo", "2.0", requiresPython: ">=3.11");

        using var again = await PushAsync("gizmo", "2.0", from: "team/staging");
        using var refused = await PushAsync("gizmo", "2.0", from: "team/dev");

        again.StatusCode.Should().Be(HttpStatusCode.OK, "the same file pushed again is no conflict");
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).Should().Contain(Distributions.WheelName("gizmo", "2.0")).And.Contain("non-volatile");
        var page = await _server.Client.GetStringAsync("shared/stable-local/+simple/gizmo/");
        page.Should().Contain(Distributions.Sha256(first));
    }

    [Fact]
    public async Task A_release_without_files_gives_400_and_a_bad_body_400_naming_every_problem()
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("submit"), ":action" }, { new StringContent("gizmo"), "name" }, { new StringContent("3.0"), "version" },
        };
        using var register = new HttpRequestMessage(HttpMethod.Post, "team/staging/") { Content = form };
        register.Headers.Authorization = TestServer.Basic("team", "team-pw");
        (await _server.Client.SendAsync(register)).StatusCode.Should().Be(HttpStatusCode.OK);

        using var empty = await PushAsync("gizmo", "3.0");
        using var missing = await PushAsync("gizmo", "4.0");
        using var bad = await _server.SendAsync(HttpMethod.Post, "team/staging", "qa", "qa-pw", """{"name": "gizmo", "colour": 1}""");
        using var nowhere = await PushAsync("gizmo", "3.0", to: "nobody/none");

        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await empty.Content.ReadAsStringAsync()).Should().Contain("no files");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("version").And.Contain("targetindex").And.Contain("colour");
        nowhere.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await nowhere.Content.ReadAsStringAsync()).Should().Contain("nobody/none");
    }
}
