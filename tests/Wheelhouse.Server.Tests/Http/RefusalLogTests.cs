using System.Net;
using Microsoft.Extensions.Logging;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Http;

/// <summary>Issue 9, item 6: refused log-ins, uploads and changes are logged for the operator; failed log-ins are limited.</summary>
[Integration]
public sealed class RefusalLogTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(o => o with { LogLevel = LogLevel.Information });
        await _server.CreateUserAsync("team");
        await _server.CreateUserAsync("other");
        await _server.CreateIndexAsync("team", "dev");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IEnumerable<string> Refusals => _server.Log.Entries
        .Where(e => e.Level == LogLevel.Information && e.Message.StartsWith("refused ", StringComparison.Ordinal)).Select(e => e.Message);

    private async Task<HttpResponseMessage> LoginAsync(string user, string password, string? forwardedFor = null)
    {
        var request = _server.Request(HttpMethod.Post, "+login", json: $$"""{"user": "{{user}}", "password": "{{password}}"}""");
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await _server.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_failed_login_is_logged_with_user_client_and_reason_but_not_the_password()
    {
        using var login = await LoginAsync("team", "Guess-Number-1", forwardedFor: "203.0.113.5");
        login.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Refusals.Should().ContainSingle(m => m.Contains("/+login") && m.Contains("401") && m.Contains("user team")
            && m.Contains("client 203.0.113.5") && m.Contains("could not be authenticated"));
        _server.Log.Text.Should().NotContain("Guess-Number-1");
    }

    [Fact]
    public async Task A_refused_upload_and_a_denied_change_are_logged_with_user_and_index()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "team/dev/")
        {
            Content = Distributions.Form("demo", "1.0", Distributions.Wheel("demo", "1.0"), Distributions.WheelName("demo", "1.0")),
        };
        request.Headers.Authorization = TestServer.Basic("other", "other-pw");
        using var upload = await _server.Client.SendAsync(request);
        upload.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var patch = await _server.SendAsync(HttpMethod.Patch, "team/dev", "other", "other-pw", """["title=mine"]""");
        patch.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        Refusals.Should().Contain(m => m.StartsWith("refused POST /team/dev/", StringComparison.Ordinal) && m.Contains("403") && m.Contains("user other") && m.Contains("index team/dev"));
        Refusals.Should().Contain(m => m.StartsWith("refused PATCH /team/dev", StringComparison.Ordinal) && m.Contains("user other") && m.Contains("client 127.0.0.1"));
        _server.Log.Text.Should().NotContain("other-pw");
    }

    [Fact]
    public async Task After_ten_failed_logins_a_minute_the_next_is_429_with_retry_after_even_with_the_right_password()
    {
        for (var i = 0; i < 10; i++)
        {
            using var wrong = await LoginAsync("team", $"wrong-{i}");
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
        using var limited = await LoginAsync("team", "team-pw");
        limited.StatusCode.Should().Be((HttpStatusCode)429);
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(1, 60);
        (await limited.Content.ReadAsStringAsync()).Should().Contain("too many failed log-ins");
        using var basic = await _server.SendAsync(HttpMethod.Get, "+api", "team", "team-pw");
        (await basic.Content.ReadAsStringAsync()).Should().Contain("noauth", "credentials are not even checked while the limit holds");
        Refusals.Should().Contain(m => m.Contains("429"));
    }

    [Fact]
    public async Task Forwarded_for_from_an_untrusted_peer_is_not_believed()
    {
        await _server.DisposeAsync();
        _server = await TestServer.StartAsync(o => o with { LogLevel = LogLevel.Information, TrustedProxies = [] });
        using var login = await LoginAsync("nobody", "x", forwardedFor: "203.0.113.5");
        Refusals.Should().ContainSingle(m => m.Contains("client 127.0.0.1") && !m.Contains("203.0.113.5"));
    }

    [Fact]
    public async Task Client_text_cannot_forge_a_log_line()
    {
        using var put = await _server.SendAsync(HttpMethod.Put, "evil%0Arefused%20POST%20forged", json: """{"password": "x"}""");
        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var login = await LoginAsync("mallory\nrefused", "x");
        Refusals.Should().HaveCount(2).And.OnlyContain(m => !m.Contains('\n') && !m.Contains('\r'));
    }
}
