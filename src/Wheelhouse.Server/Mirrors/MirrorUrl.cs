using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// An upstream simple index URL (<c>mirror_url</c>) with its credentials split off. The credentials travel only as a
/// Basic <c>Authorization</c> header; <see cref="ToString"/>, <see cref="Display"/> and every message built from this
/// type show the URL without the password, so it cannot leak into an answer, an exception or a log.
/// </summary>
public sealed class MirrorUrl : IEquatable<MirrorUrl>
{
    private readonly string? _user;
    private readonly string? _password;

    private MirrorUrl(Uri baseUri, string? user, string? password)
    {
        BaseUri = baseUri;
        _user = user;
        _password = password;
    }

    /// <summary>The simple index root without user info, always ending in '/'.</summary>
    public Uri BaseUri { get; }

    public bool HasCredentials => _user is not null;

    /// <summary>The URL as it may be shown: the user name kept, the password replaced by <c>****</c>.</summary>
    public string Display => _user is null
        ? BaseUri.AbsoluteUri
        : new UriBuilder(BaseUri) { UserName = Uri.EscapeDataString(_user), Password = _password is null ? "" : "****" }.Uri.AbsoluteUri;

    /// <summary>The upstream authority (<c>host:port</c>): the unit the circuit breaker works on.</summary>
    public string Authority => BaseUri.Authority;

    /// <summary>Parses by <see cref="MirrorUrlRules"/>, the rule index creation and modification apply too.</summary>
    public static bool TryParse(string? raw, [NotNullWhen(true)] out MirrorUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = MirrorUrlRules.TryParse(raw, out var parts, out error) ? new MirrorUrl(parts.BaseUri, parts.User, parts.Password) : null;
        return url is not null;
    }

    public static MirrorUrl Parse(string raw) => TryParse(raw, out var url, out var error) ? url : throw new FormatException(error);

    /// <summary>The PEP 503 project page: the root plus the normalized name and a trailing slash.</summary>
    public Uri ProjectPage(ProjectName project) => new(BaseUri, Uri.EscapeDataString(project.Normalized) + "/");

    /// <summary>
    /// The Basic header for a request to <paramref name="target"/>, or null. Credentials are only sent to the mirror's
    /// own scheme, host and port: a file link pointing at another host (a CDN) must not receive them.
    /// </summary>
    public AuthenticationHeaderValue? AuthorizationFor(Uri target)
    {
        if (_user is null || Uri.Compare(target, BaseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return null;
        }
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}")));
    }

    /// <summary>Any URL with its user info removed, for messages.</summary>
    public static string Redact(Uri uri) =>
        uri.UserInfo.Length == 0 ? uri.AbsoluteUri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;

    public override string ToString() => Display;

    public bool Equals(MirrorUrl? other) =>
        other is not null && BaseUri == other.BaseUri && _user == other._user && _password == other._password;

    public override bool Equals(object? obj) => obj is MirrorUrl other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(BaseUri, _user);
}
