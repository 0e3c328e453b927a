using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary><c>POST /{user}/{index}/+fill</c>: the server's half of <c>fill</c>, all or nothing, hashes checked against the source.</summary>
[Integration]
public sealed class FillEndpointTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _sha = "";
    private string _other = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "src");
        await _server.CreateIndexAsync("team", "dst", """{"volatile": false}""");
        _sha = Distributions.Sha256(await _server.UploadWheelAsync("team/src", "team", "alpha", "1.0"));
        _other = Distributions.Sha256(await _server.UploadWheelAsync("team/src", "team", "beta", "1.0"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Body(params (string Name, string Sha)[] files) => new JsonObject
    {
        ["from"] = "team/src",
        ["files"] = new JsonArray(files.Select(f => (JsonNode)new JsonObject { ["filename"] = f.Name, ["sha256"] = f.Sha }).ToArray()),
    }.ToJsonString();

    private async Task<(HttpStatusCode Status, string Text)> FillAsync(string body, string? user = "team")
    {
        using var response = await _server.SendAsync(HttpMethod.Post, "team/dst/+fill", user, user is null ? null : "team-pw", body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Copies_what_matches_once_and_refuses_a_whole_fill_with_one_wrong_hash()
    {
        var alpha = Distributions.WheelName("alpha", "1.0");
        var beta = Distributions.WheelName("beta", "1.0");

        var wrong = await FillAsync(Body((alpha, _sha), (beta, new string('a', 64))));
        var first = await FillAsync(Body((alpha, _sha), (beta, _other)));
        var second = await FillAsync(Body((alpha, _sha), (beta, _other)));

        wrong.Status.Should().Be(HttpStatusCode.Conflict);
        wrong.Text.Should().Contain($"{beta} was downloaded with sha256 {new string('a', 64)}, but team/src stored it with sha256 {_other}")
            .And.Contain("nothing was filled into team/dst");
        first.Status.Should().Be(HttpStatusCode.OK, first.Text);
        var copied = JsonNode.Parse(first.Text)!["result"]!["copied"]!.AsArray().Select(c => (string)c!["filename"]!);
        copied.Should().Equal(alpha, beta);
        JsonNode.Parse(second.Text)!["result"]!["present"]!.AsArray().Select(p => (string)p!).Should().Equal(alpha, beta);
        JsonNode.Parse(second.Text)!["result"]!["copied"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task Refuses_unknown_files_strangers_and_bad_bodies_with_every_problem()
    {
        var unknown = await FillAsync(Body(("gamma-1.0-py3-none-any.whl", _sha)));
        var anonymous = await FillAsync(Body(), user: null);
        var bad = await FillAsync("""{"from": "nope", "files": [{"filename": "x.txt", "sha256": "ABC"}], "extra": 1}""");

        unknown.Status.Should().Be(HttpStatusCode.BadRequest);
        unknown.Text.Should().Contain("gamma-1.0-py3-none-any.whl is not stored in team/src");
        anonymous.Status.Should().Be(HttpStatusCode.Unauthorized);
        anonymous.Text.Should().Contain("authentication required to fill team/dst");
        bad.Status.Should().Be(HttpStatusCode.BadRequest);
        bad.Text.Should().Contain("unknown fill key 'extra'").And.Contain("invalid 'from'").And.Contain("'x.txt' is not a distribution file name");
        (await _server.Client.GetStringAsync("team/dst/+findlinks")).Should().Contain("No release files are visible through team/dst yet.");
    }
}
