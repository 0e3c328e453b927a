using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// Protection of every form against cross-site request forgery: a signed double submit. The browser holds a random key
/// in an <c>HttpOnly</c> cookie; each form carries HMAC(key, browser key and user) in a hidden field; a state-changing
/// POST is accepted only when the field matches the cookie and the user the request now runs as (a token taken while
/// anonymous is worthless once logged in, and the reverse). Another site can neither read the cookie nor compute the
/// field, and a browser's own cross-site marker (<c>Sec-Fetch-Site: cross-site</c>) is refused as well.
/// </summary>
public sealed class CsrfTokens(WebKeys keys, RequestTls tls)
{
    public const string CookieName = "wheelhouse_csrf";

    /// <summary>The hidden form field every state-changing form must carry.</summary>
    public const string FieldName = "csrf_token";

    private static readonly object ItemKey = new();

    /// <summary>The token for a form on this response; sets the browser key cookie when the browser has none yet.</summary>
    public string TokenFor(HttpContext context, string? user) => Compute(BrowserKey(context, create: true)!, user);

    /// <summary>True when <paramref name="submitted"/> is the token of this browser and <paramref name="user"/>.</summary>
    public bool IsValid(HttpContext context, string? user, string? submitted)
    {
        if (string.Equals(context.Request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (string.IsNullOrEmpty(submitted) || BrowserKey(context, create: false) is not { } browser)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(browser, user)), Encoding.ASCII.GetBytes(submitted));
    }

    private string Compute(string browserKey, string? user) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(keys.Csrf, Encoding.UTF8.GetBytes(browserKey + "\n" + (user ?? ""))));

    private string? BrowserKey(HttpContext context, bool create)
    {
        if (context.Items.TryGetValue(ItemKey, out var made))
        {
            return (string)made!;
        }
        var sent = context.Request.Cookies[CookieName];
        if (sent is { Length: 43 } && sent.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return sent;
        }
        if (!create)
        {
            return null;
        }
        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        context.Items[ItemKey] = key;
        context.Response.Cookies.Append(CookieName, key, new CookieOptions
        {
            HttpOnly = true,
            Secure = tls.IsSecure(context),
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
        });
        return key;
    }
}
