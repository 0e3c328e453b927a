using System.Net;
using System.Text;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web.Session;

/// <summary>The browser's log-in and log-out over real HTTP: form, CSRF, cookie flags, the shared log-in rule and its limit.</summary>
[Integration]
public sealed class LoginPagesTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("alice");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_form_carries_a_csrf_token_and_is_served_with_security_headers()
    {
        using var browser = new FormClient(_server.BaseUrl);
        var (response, html) = await browser.GetAsync("/+login");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        WebUtility.HtmlDecode(html).Should().Contain($"action=\"{_server.BaseUrl}/+web/login\"").And.Contain("name=\"password\"");
        FormClient.CsrfOf(html).Should().NotBeEmpty();
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'").And.Contain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        var csrfCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wheelhouse_csrf=", StringComparison.Ordinal));
        csrfCookie.Should().Contain("httponly").And.Contain("samesite=lax");
    }

    [Fact]
    public async Task Devpi_json_login_is_unchanged_and_a_json_get_is_told_to_post()
    {
        using var login = await _server.SendAsync(HttpMethod.Post, "+login", json: """{"user": "alice", "password": "alice-pw"}""");
        login.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await login.Content.ReadAsStringAsync())!;
        body["type"]!.GetValue<string>().Should().Be("proxyauth");
        login.Headers.Contains("Set-Cookie").Should().BeFalse("the API log-in starts no browser session");
        using var get = await _server.SendAsync(HttpMethod.Get, "+login");
        get.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await get.Content.ReadAsStringAsync()).Should().Contain("POST /+login");
    }

    [Fact]
    public async Task Logging_in_sets_a_signed_httponly_lax_cookie_and_redirects_to_a_local_page_only()
    {
        using var browser = new FormClient(_server.BaseUrl);
        using var response = await browser.LogInAsync("alice", "alice-pw", next: "/alice");
        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        response.Headers.Location!.ToString().Should().Be(_server.BaseUrl + "/alice");
        var set = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wheelhouse_session=", StringComparison.Ordinal));
        set.Should().Contain("httponly").And.Contain("samesite=lax").And.Contain("expires=").And.NotContain("secure");
        var (_, html) = await browser.GetAsync("/+login");
        html.Should().Contain("logged in as <strong>alice</strong>");

        using var other = new FormClient(_server.BaseUrl);
        using var offsite = await other.LogInAsync("alice", "alice-pw", next: "//evil.example/");
        offsite.Headers.Location!.ToString().Should().Be(_server.BaseUrl + "/");
    }

    [Fact]
    public async Task Behind_a_path_prefix_the_form_posts_and_redirects_below_it()
    {
        using var browser = new FormClient(_server.BaseUrl);
        browser.Client.DefaultRequestHeaders.Add("X-Forwarded-Prefix", "/pypi");
        var (_, html) = await browser.GetAsync("/+login");
        WebUtility.HtmlDecode(html).Should().Contain($"action=\"{_server.BaseUrl}/pypi/+web/login\"");
        using var response = await browser.LogInAsync("alice", "alice-pw", next: "/alice");
        response.Headers.Location!.ToString().Should().Be(_server.BaseUrl + "/pypi/alice");
    }

    [Fact]
    public async Task The_cookie_is_secure_when_a_trusted_proxy_says_https_and_not_when_anyone_else_does()
    {
        using var browser = new FormClient(_server.BaseUrl);
        var token = await browser.CsrfTokenAsync("/+login");
        using var request = new HttpRequestMessage(HttpMethod.Post, "+web/login")
        {
            Content = new FormUrlEncodedContent([new("csrf_token", token), new("username", "alice"), new("password", "alice-pw")]),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await browser.Client.SendAsync(request);
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wheelhouse_session=", StringComparison.Ordinal)).Should().Contain("secure");

        await using var untrusting = await TestServer.StartAsync(o => o with { TrustedProxies = [] });
        await untrusting.CreateUserAsync("alice");
        using var direct = new FormClient(untrusting.BaseUrl);
        var token2 = await direct.CsrfTokenAsync("/+login");
        using var claimed = new HttpRequestMessage(HttpMethod.Post, "+web/login")
        {
            Content = new FormUrlEncodedContent([new("csrf_token", token2), new("username", "alice"), new("password", "alice-pw")]),
        };
        claimed.Headers.Add("X-Forwarded-Proto", "https");
        using var answer = await direct.Client.SendAsync(claimed);
        answer.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wheelhouse_session=", StringComparison.Ordinal)).Should().NotContain("secure");
    }

    [Fact]
    public async Task A_post_without_the_browsers_token_is_refused_and_logs_nobody_in()
    {
        using var browser = new FormClient(_server.BaseUrl);
        await browser.CsrfTokenAsync("/+login"); // has a csrf cookie, but forges the field
        using var forged = await browser.PostAsync("/+web/login", ("csrf_token", "forged"), ("username", "alice"), ("password", "alice-pw"));
        forged.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await forged.Content.ReadAsStringAsync()).Should().Contain("security token");
        browser.Cookie("wheelhouse_session").Should().BeNull();

        using var stranger = new FormClient(_server.BaseUrl);
        var someoneElses = await browser.CsrfTokenAsync("/+login");
        using var replayed = await stranger.PostAsync("/+web/login", ("csrf_token", someoneElses), ("username", "alice"), ("password", "alice-pw"));
        replayed.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a token belongs to the browser whose cookie it was made for");

        var own = await stranger.CsrfTokenAsync("/+login");
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "+web/login")
        {
            Content = new FormUrlEncodedContent([new("csrf_token", own), new("username", "alice"), new("password", "alice-pw")]),
        };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var refused = await stranger.Client.SendAsync(crossSite);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Wrong_passwords_count_towards_the_shared_limit_and_the_form_says_why()
    {
        using var browser = new FormClient(_server.BaseUrl);
        using var wrong = await browser.LogInAsync("alice", "nope");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var html = await wrong.Content.ReadAsStringAsync();
        html.Should().Contain("wrong").And.Contain("value=\"alice\"");
        for (var i = 1; i < Wheelhouse.Server.Auth.LoginThrottle.Limit; i++)
        {
            using var again = await browser.LogInAsync("alice", "nope" + i);
        }
        using var limited = await browser.LogInAsync("alice", "alice-pw");
        limited.StatusCode.Should().Be((HttpStatusCode)429);
        limited.Headers.RetryAfter.Should().NotBeNull();
        using var api = await _server.SendAsync(HttpMethod.Post, "+login", json: """{"user": "alice", "password": "alice-pw"}""");
        api.StatusCode.Should().Be((HttpStatusCode)429, "the form and devpi login share one limit");
    }

    [Fact]
    public async Task Logging_out_ends_the_session_even_for_a_copy_of_the_cookie()
    {
        using var browser = new FormClient(_server.BaseUrl);
        (await browser.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var copy = browser.Cookie("wheelhouse_session")!.Value;
        var token = await browser.CsrfTokenAsync("/+login");
        using var logout = await browser.PostAsync("/+web/logout", ("csrf_token", token));
        logout.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        browser.Cookie("wheelhouse_session").Should().BeNull();

        using var replay = new FormClient(_server.BaseUrl);
        replay.Cookies.Add(new Uri(_server.BaseUrl), new Cookie("wheelhouse_session", copy));
        var (_, html) = await replay.GetAsync("/+login");
        html.Should().Contain("name=\"password\"", "a logged-out session is anonymous");
    }

    [Fact]
    public async Task A_changed_password_ends_the_session_and_a_tampered_cookie_is_anonymous()
    {
        using var browser = new FormClient(_server.BaseUrl);
        (await browser.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var value = browser.Cookie("wheelhouse_session")!.Value;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(value.AsSpan(0, dot)));
        var forged = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace("\nalice\n", "\nroot\n", StringComparison.Ordinal))) + value[dot..];
        using var tampered = new FormClient(_server.BaseUrl);
        tampered.Cookies.Add(new Uri(_server.BaseUrl), new Cookie("wheelhouse_session", forged));
        (await tampered.GetAsync("/+login")).Html.Should().Contain("name=\"password\"");

        using var change = await _server.SendAsync(HttpMethod.Patch, "alice", "alice", "alice-pw", """{"password": "new-pw"}""");
        change.StatusCode.Should().Be(HttpStatusCode.OK, await change.Content.ReadAsStringAsync());
        (await browser.GetAsync("/+login")).Html.Should().Contain("name=\"password\"");
    }

    [Fact]
    public async Task The_sessions_token_is_no_api_credential()
    {
        using var browser = new FormClient(_server.BaseUrl);
        (await browser.LogInAsync("alice", "alice-pw")).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var value = browser.Cookie("wheelhouse_session")!.Value;
        var token = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(value.AsSpan(0, value.IndexOf('.', StringComparison.Ordinal)))).Split('\n')[2];
        using var create = await _server.SendAsync(HttpMethod.Put, "alice/dev", "alice", token, "{}");
        create.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var withPassword = await _server.SendAsync(HttpMethod.Put, "alice/dev", "alice", "alice-pw", "{}");
        withPassword.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
