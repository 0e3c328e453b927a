using System.Diagnostics.CodeAnalysis;

namespace Wheelhouse.Core.Indexes;

/// <summary>
/// The one rule for a mirror's <c>mirror_url</c>, applied when an index is created or changed and again when the
/// mirror is used: an absolute http or https URL without query or fragment (a query is often an access token and
/// would be shown to anonymous readers). User info is split off as credentials. Messages and displays never hold a
/// password, and a URL that cannot be parsed is never shown at all, because where its password is cannot be known.
/// </summary>
public static class MirrorUrlRules
{
    /// <summary>What is shown in place of a URL that cannot be parsed.</summary>
    public const string Unparseable = "(a URL that cannot be parsed; not shown because it may hold a password)";

    /// <param name="BaseUri">The simple index root without user info, always ending in '/'.</param>
    public sealed record Parts(Uri BaseUri, string? User, string? Password);

    public static bool TryParse(string? raw, [NotNullWhen(true)] out Parts? parts, [NotNullWhen(false)] out string? error)
    {
        parts = null;
        if (!Uri.TryCreate(raw?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            error = "mirror_url is not an absolute http or https URL (such as https://pypi.org/simple/); the value is not shown because it may hold a password";
            return false;
        }
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            error = $"mirror_url {Redact(raw!)} must not have a {(string.IsNullOrEmpty(uri.Query) ? "fragment" : "query")}: "
                + "give the simple index root (such as https://pypi.org/simple/) and put credentials in its user info";
            return false;
        }
        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        parts = new Parts(new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri, user, password);
        error = null;
        return true;
    }

    /// <summary>
    /// The URL as it may be shown: the user name kept, a password as <c>****</c>, a query or fragment as <c>****</c>,
    /// and a URL that cannot be parsed replaced as a whole by <see cref="Unparseable"/>.
    /// </summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return Unparseable;
        }
        if (uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0)
        {
            return uri.OriginalString;
        }
        var builder = new UriBuilder(uri)
        {
            Query = uri.Query.Length == 0 ? "" : "****",
            Fragment = uri.Fragment.Length == 0 ? "" : "****",
        };
        if (uri.UserInfo.Length > 0)
        {
            builder.UserName = uri.UserInfo.Split(':')[0];
            builder.Password = uri.UserInfo.Contains(':') ? "****" : "";
        }
        return builder.Uri.AbsoluteUri;
    }
}
