using System.Net;
using System.Text;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// A mirror_url with a user and password, through the server's HTTP API: the upstream (which refuses anyone else)
/// gets them for pages and files, and no answer of the server shows the password.
/// </summary>
[Integration]
public sealed class MirrorCredentialsTests : IAsyncLifetime
{
    private const string Secret = "s3cret-Pa55word";
    private static readonly byte[] Wheel = Distributions.Wheel("gizmo", "1.0");
    private static readonly string WheelName = Distributions.WheelName("gizmo", "1.0");
    private static readonly string Expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"mirror-user:{Secret}"));

    private UpstreamStub _upstream = null!;
    private TestServer _server = null!;
    private volatile bool _down;

    public async Task InitializeAsync()
    {
        _upstream = await UpstreamStub.StartAsync(async c =>
        {
            var path = c.Request.Path.Value!;
            if (c.Request.Headers.Authorization != Expected)
            {
                await UpstreamSimpleClientTests.Answer(c, 401, "text/plain", "who are you");
            }
            else if (_down)
            {
                await UpstreamSimpleClientTests.Answer(c, 500, "text/plain", "down");
            }
            else if (path == "/simple/gizmo/")
            {
                await UpstreamSimpleClientTests.Answer(c, 200, "text/html",
                    $"<a href=\"/files/{WheelName}#sha256={Distributions.Sha256(Wheel)}\">{WheelName}</a>"
                    + $"<a href=\"/files/gizmo-2.0-py3-none-any.whl#sha256={new string('1', 64)}\">gizmo-2.0-py3-none-any.whl</a>");
            }
            else if (path == $"/files/{WheelName}")
            {
                c.Response.ContentType = "application/octet-stream";
                await c.Response.Body.WriteAsync(Wheel);
            }
            else
            {
                c.Response.StatusCode = 404;
            }
        });
        _server = await TestServer.StartAsync(mirrorHttp: MirrorTestClients.FastOptions);
        await _server.CreateUserAsync("ops");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task The_upstream_gets_the_credentials_and_no_answer_shows_the_password()
    {
        var url = _upstream.BaseUrl.Replace("http://", $"http://mirror-user:{Secret}@", StringComparison.Ordinal) + "/simple/";
        var answers = new List<string>();
        async Task<HttpResponseMessage> Keep(Task<HttpResponseMessage> sending)
        {
            var response = await sending;
            answers.Add($"{(int)response.StatusCode} {response.Headers} {await response.Content.ReadAsStringAsync()}");
            return response;
        }

        using var created = await Keep(_server.SendAsync(HttpMethod.Put, "ops/cred", "ops", "ops-pw", $$"""{"type": "mirror", "mirror_url": "{{url}}"}"""));
        using var config = await Keep(_server.SendAsync(HttpMethod.Get, "ops/cred"));
        using var user = await Keep(_server.SendAsync(HttpMethod.Get, "ops"));
        using var page = await Keep(_server.Client.GetAsync("ops/cred/+simple/gizmo/"));
        var sha = Distributions.Sha256(Wheel);
        using var file = await _server.Client.GetAsync($"ops/cred/+f/{sha[..3]}/{sha[3..16]}/{WheelName}");
        _down = true;
        using var refresh = await _server.Client.PostAsync("ops/cred/+simple/gizmo/refresh", null);
        using var failed = await Keep(_server.Client.GetAsync($"ops/cred/+f/111/{new string('1', 13)}/gizmo-2.0-py3-none-any.whl"));

        created.StatusCode.Should().Be(HttpStatusCode.OK);
        page.StatusCode.Should().Be(HttpStatusCode.OK, "the upstream answers only with the credentials");
        answers[3].Should().Contain(sha);
        file.StatusCode.Should().Be(HttpStatusCode.OK);
        (await file.Content.ReadAsByteArrayAsync()).Should().Equal(Wheel);
        answers[1].Should().Contain("mirror-user:****@");
        failed.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        var encoded = Expected["Basic ".Length..];
        answers.Should().HaveCount(5).And.NotContain(a => a.Contains(Secret, StringComparison.Ordinal) || a.Contains(encoded, StringComparison.Ordinal));
        _upstream.Requests.Should().OnlyContain(r => r.Authorization == Expected);
    }
}
