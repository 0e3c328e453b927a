using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Http;

[Integration]
public sealed class HeadersAndViewsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/+api")]
    [InlineData("/+status")]
    [InlineData("/root")]
    [InlineData("/nobody")]
    [InlineData("/root/missing/+simple/")]
    public async Task Every_response_carries_the_devpi_headers(string path)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, path);
        response.Headers.GetValues("X-Devpi-Api-Version").Should().Equal("2");
        response.Headers.GetValues("X-Devpi-Server-Version").Single().Should().NotBeEmpty();
        response.Headers.GetValues("X-Devpi-Uuid").Single().Should().MatchRegex("^[0-9a-f]{32}$");
        long.Parse(response.Headers.GetValues("X-Devpi-Serial").Single()).Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Serial_grows_with_every_change()
    {
        var before = await SerialAsync();
        await _server.CreateUserAsync("serialuser");
        var afterUser = await SerialAsync();
        await _server.CreateIndexAsync("serialuser", "dev");
        var afterIndex = await SerialAsync();
        afterUser.Should().BeGreaterThan(before);
        afterIndex.Should().BeGreaterThan(afterUser);
    }

    [Fact]
    public async Task Status_reports_server_and_serial()
    {
        var json = await GetJsonAsync("+status");
        json["type"]!.GetValue<string>().Should().Be("status");
        json["result"]!["role"]!.GetValue<string>().Should().Be("primary");
    }

    [Fact]
    public async Task Index_api_lists_login_simpleindex_and_pypisubmit()
    {
        await _server.CreateUserAsync("apiuser");
        await _server.CreateIndexAsync("apiuser", "dev");
        var result = (await GetJsonAsync("apiuser/dev/+api"))["result"]!;
        result["login"]!.GetValue<string>().Should().Be(_server.BaseUrl + "/+login");
        result["simpleindex"]!.GetValue<string>().Should().Be(_server.BaseUrl + "/apiuser/dev/+simple/");
        result["pypisubmit"]!.GetValue<string>().Should().Be(_server.BaseUrl + "/apiuser/dev/");
        result["authstatus"]![0]!.GetValue<string>().Should().Be("noauth");
        result["features"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Contain("server-keyvalue-parsing");
    }

    [Theory]
    [InlineData("root")]
    [InlineData("root/")]
    public async Task User_urls_answer_with_and_without_trailing_slash(string path)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Index_urls_answer_with_and_without_trailing_slash_and_list_projects()
    {
        await _server.CreateUserAsync("slash");
        await _server.CreateIndexAsync("slash", "dev");
        foreach (var path in new[] { "slash/dev", "slash/dev/" })
        {
            var json = await GetJsonAsync(path);
            json["type"]!.GetValue<string>().Should().Be("indexconfig");
            json["result"]!["projects"]!.AsArray().Should().BeEmpty();
        }
        (await GetJsonAsync("slash/dev?no_projects"))["result"]!.AsObject().ContainsKey("projects").Should().BeFalse();
    }

    [Fact]
    public async Task Root_lists_users_without_password_hashes()
    {
        var text = await _server.Client.GetStringAsync("");
        var json = JsonNode.Parse(text)!;
        json["type"]!.GetValue<string>().Should().Be("list:userconfig");
        json["result"]!["root"]!["username"]!.GetValue<string>().Should().Be("root");
        text.Should().NotContain("pbkdf2").And.NotContain("password");
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json")]
    public async Task Errors_keep_the_standard_reason_phrase_and_say_what_was_wrong_in_the_body(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "nobody");
        request.Headers.Accept.ParseAdd(accept);
        using var response = await _server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.ReasonPhrase.Should().Be("Not Found");
        var body = await response.Content.ReadAsStringAsync();
        if (accept == "text/html")
        {
            body.Should().Contain("user nobody does not exist", "a browser gets the web interface's 404 page");
            return;
        }
        JsonNode.Parse(body)!["message"]!.GetValue<string>().Should().Be("user nobody does not exist");
    }

    private async Task<long> SerialAsync()
    {
        using var response = await _server.SendAsync(HttpMethod.Get, "+api");
        return long.Parse(response.Headers.GetValues("X-Devpi-Serial").Single());
    }

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await _server.SendAsync(HttpMethod.Get, path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
