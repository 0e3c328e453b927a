using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Http;

/// <summary>Every GET route answers HEAD with the same status and headers and no body (issue 9, item 8).</summary>
[Integration]
public sealed class HeadRequestTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "dev");
        await _server.UploadWheelAsync("team/dev", "team", "demo", "1.0");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/+api")]
    [InlineData("/+status")]
    [InlineData("/team")]
    [InlineData("/team/+api")]
    [InlineData("/team/dev")]
    [InlineData("/team/dev/+api")]
    [InlineData("/team/dev/demo")]
    [InlineData("/team/dev/demo/1.0")]
    [InlineData("/team/dev/+simple/")]
    [InlineData("/team/dev/+simple/demo/")]
    [InlineData("/nobody")]
    [InlineData("/team/dev/missing")]
    public async Task Head_answers_like_get_without_a_body(string path)
    {
        using var get = await _server.SendAsync(HttpMethod.Get, path);
        var getBody = await get.Content.ReadAsByteArrayAsync();
        using var head = await _server.SendAsync(HttpMethod.Head, path);
        var headBody = await head.Content.ReadAsByteArrayAsync();

        head.StatusCode.Should().Be(get.StatusCode, "HEAD {0} must answer as GET does", path);
        headBody.Should().BeEmpty();
        head.Content.Headers.ContentType?.ToString().Should().Be(get.Content.Headers.ContentType?.ToString());
        head.Content.Headers.ContentLength.Should().Be(getBody.Length);
        head.Headers.GetValues("X-Devpi-Serial").Should().Equal(get.Headers.GetValues("X-Devpi-Serial"));
    }

    [Fact]
    public async Task Head_of_a_release_file_answers_its_length_without_the_body()
    {
        var page = await _server.Client.GetStringAsync("team/dev/+simple/demo/");
        var href = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"#]+)").Groups[1].Value;
        var url = new Uri(new Uri(_server.BaseUrl + "/team/dev/+simple/demo/"), href);
        using var head = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        head.StatusCode.Should().Be(HttpStatusCode.OK);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        head.Content.Headers.ContentLength.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Methods_other_than_get_and_head_stay_refused()
    {
        using var response = await _server.SendAsync(HttpMethod.Put, "team/dev/+simple/");
        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }
}
