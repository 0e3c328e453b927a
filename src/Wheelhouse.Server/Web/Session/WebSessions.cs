using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// Browser sessions. Logging in through the form stores a cookie (<c>HttpOnly</c>, <c>SameSite=Lax</c>, <c>Secure</c>
/// when the browser came over TLS) holding a random session id, the user and a log-in token signed with the session's
/// own key, the whole signed again. Each request checks the token by the server's one log-in rule
/// (<see cref="Authenticator.Resume"/>), so a password change, a removed user or an expired token ends the session
/// like an API token; logging out ends it at once on this server. The token is no API credential.
/// </summary>
public sealed class WebSessions
{
    public const string CookieName = "wheelhouse_session";

    private static readonly object ItemKey = new();

    private readonly Authenticator _auth;
    private readonly WebKeys _keys;
    private readonly CsrfTokens _csrf;
    private readonly RequestTls _tls;
    private readonly TimeProvider _clock;
    private readonly TokenService _tokens;

    // Sessions logged out before they expire, until they would have expired. In memory: logging out also deletes the
    // cookie; another node behind the same balancer accepts a copied cookie until its token expires.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    public WebSessions(Authenticator auth, WebKeys keys, CsrfTokens csrf, RequestTls tls, ServerOptions options, TimeProvider clock)
    {
        _auth = auth;
        _keys = keys;
        _csrf = csrf;
        _tls = tls;
        _clock = clock;
        _tokens = new TokenService(keys.SessionToken, TimeSpan.FromSeconds(options.TokenLifetimeSeconds), clock);
    }

    public TimeSpan Lifetime => _tokens.Lifetime;

    /// <summary>
    /// The viewer of this request (once per request). A logged-in viewer's page is private to it: the response is
    /// marked <c>Cache-Control: private, no-store</c> and varies by cookie, so no cache hands it to someone else.
    /// </summary>
    public WebViewer ViewerOf(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known))
        {
            return (WebViewer)known!;
        }
        var principal = Principal.Anonymous;
        if (Read(context) is var (id, user, token) && !_ended.ContainsKey(id) && _auth.Resume(user, token, _tokens) is { Accepted: true } resumed)
        {
            principal = resumed.Principal;
            context.Response.Headers.CacheControl = "private, no-store";
            context.Response.Headers.Append("Vary", "Cookie");
        }
        return Remember(context, principal);
    }

    /// <summary>Starts a session for an accepted log-in (a new id: one from before the log-in is never reused).</summary>
    public WebViewer Begin(HttpContext context, LoginResult accepted)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var token = Authenticator.IssueToken(accepted, _tokens);
        var value = SignedValue.Sign(_keys.SessionCookie, id, accepted.Principal.User!.Value, token);
        context.Response.Cookies.Append(CookieName, value, Options(context, _clock.GetUtcNow().Add(Lifetime)));
        context.Response.Headers.CacheControl = "private, no-store";
        return Remember(context, accepted.Principal);
    }

    /// <summary>Ends the request's session, if any, here and in the browser.</summary>
    public WebViewer End(HttpContext context)
    {
        var now = _clock.GetUtcNow();
        if (Read(context) is var (id, _, _))
        {
            _ended[id] = now.Add(Lifetime);
        }
        foreach (var (key, until) in _ended)
        {
            if (until <= now)
            {
                _ended.TryRemove(key, out _);
            }
        }
        context.Response.Cookies.Delete(CookieName, Options(context, null));
        return Remember(context, Principal.Anonymous);
    }

    private WebViewer Remember(HttpContext context, Principal principal)
    {
        var viewer = new WebViewer(principal, () => _csrf.TokenFor(context, principal.User?.Value));
        context.Items[ItemKey] = viewer;
        return viewer;
    }

    private (string Id, string User, string Token)? Read(HttpContext context) =>
        SignedValue.Verify(_keys.SessionCookie, context.Request.Cookies[CookieName], 3) is [var id, var user, var token] ? (id, user, token) : null;

    private CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = _tls.IsSecure(context),
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
