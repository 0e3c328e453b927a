using System.Text;
using Microsoft.Extensions.Primitives;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// Reads <c>X-Devpi-Auth</c> (devpi client) or <c>Authorization: Basic</c> (twine, pip), each <c>user:secret</c> where
/// the secret is a login token or the password. Bad or expired credentials make the request anonymous (spec
/// "Authentication"); only the upload endpoint turns that into a challenge.
/// </summary>
public sealed class Authenticator(UsersAndIndexes users, PasswordHasher hasher, TokenService tokens, LoginThrottle throttle, ClientAddress addresses,
    IDirectoryLogin directory)
{
    /// <summary>The password-hash stand-in a directory log-in's token is bound to (no local hash is ever this).</summary>
    private const string DirectoryTokenKey = "directory";

    /// <exception cref="DirectoryUnavailableException">The credentials are a directory user's and no directory server answered.</exception>
    public RequestIdentity Identify(HttpRequest request)
    {
        var credentials = Credentials(request.Headers["X-Devpi-Auth"], basic: false)
            ?? Credentials(request.Headers.Authorization, basic: true);
        if (credentials is not { } c)
        {
            return RequestIdentity.Anonymous;
        }
        RefusalLog.NoteUser(request.HttpContext, c.User);
        var result = Authenticate(c.User, c.Secret, addresses.Of(request.HttpContext));
        if (result.Unavailable is { } reason)
        {
            throw new DirectoryUnavailableException(reason);
        }
        return new RequestIdentity(result.Principal, true); // too many failures: not even checked, anonymous
    }

    /// <summary>
    /// The one log-in rule: the failed-login limit first; a local user's token or password; else, except for root, a
    /// directory token or the directory password (devpi-ldap's order, with the local check first so local users
    /// never wait for the directory). Failures count towards the limit, unless the secret is a token of ours
    /// (expired or revoked: no guess) or the directory could not be asked.
    /// </summary>
    public LoginResult Authenticate(string name, string secret, string client)
    {
        if (throttle.RetryAfter(name, client) is { } wait)
        {
            return LoginResult.Refused with { RetryAfter = wait };
        }
        var result = Check(name, secret);
        if (result.Accepted)
        {
            throttle.Succeeded(name);
        }
        else if (result.Unavailable is null && !tokens.IsSigned(secret))
        {
            throttle.Failed(name, client);
        }
        return result;
    }

    /// <summary>A new login token for an accepted log-in (bound to the local password, or carrying the directory groups).</summary>
    public string IssueToken(LoginResult accepted) => IssueToken(accepted, tokens);

    /// <summary>As <see cref="IssueToken(LoginResult)"/>, signed by <paramref name="issuer"/> (the web session's own key, so a
    /// session is no API credential and an API token no session).</summary>
    public static string IssueToken(LoginResult accepted, TokenService issuer) =>
        issuer.Issue(accepted.Principal.User!.Value, accepted.TokenKey!, accepted.DirectoryGroups);

    /// <summary>
    /// Who a token signed by <paramref name="issuer"/> stands for, by the same rule as a log-in's token check (local
    /// first, a directory token except for root), without the failed-login limit: only a server-signed value gets here,
    /// so it is no guess, and a stranger's failed guesses at the name must not end the user's session.
    /// </summary>
    public LoginResult Resume(string name, string token, TokenService issuer) =>
        UserName.TryParse(name, out var userName, out _) ? CheckToken(userName, name, token, issuer) ?? LoginResult.Refused : LoginResult.Refused;

    private LoginResult Check(string name, string secret)
    {
        if (secret.Length == 0 || !UserName.TryParse(name, out var userName, out _))
        {
            return LoginResult.Refused;
        }
        if (CheckToken(userName, name, secret, tokens) is { } byToken)
        {
            return byToken;
        }
        var user = users.Find(name);
        var localGroups = user?.Groups ?? [];
        if (user is { PasswordHash.Length: > 0 } && hasher.Verify(user.Name, secret, user.PasswordHash))
        {
            return new LoginResult(Principal.ForUser(userName, user.Groups), user.PasswordHash, null, null);
        }
        if (userName.IsRoot || !directory.Enabled)
        {
            return LoginResult.Refused;
        }
        var answer = directory.Authenticate(name, secret);
        return answer.Kind switch
        {
            DirectoryAnswerKind.Accepted => new LoginResult(Principal.ForUser(userName, answer.Groups.Concat(localGroups)), DirectoryTokenKey, answer.Groups, null),
            DirectoryAnswerKind.Unavailable => LoginResult.Refused with { Unavailable = answer.Reason },
            _ => LoginResult.Refused,
        };
    }

    /// <summary>A local user's token, else (not for root) a directory user's; null when <paramref name="secret"/> is neither.</summary>
    private LoginResult? CheckToken(UserName userName, string name, string secret, TokenService issuer)
    {
        var user = users.Find(name);
        if (user is { PasswordHash.Length: > 0 } && issuer.Validate(user.Name, user.PasswordHash, secret))
        {
            return new LoginResult(Principal.ForUser(userName, user.Groups), user.PasswordHash, null, null);
        }
        if (!userName.IsRoot && directory.Enabled && issuer.Validate(name, DirectoryTokenKey, secret, out var carried) && carried is not null)
        {
            return new LoginResult(Principal.ForUser(userName, carried.Concat(user?.Groups ?? [])), DirectoryTokenKey, carried, null);
        }
        return null;
    }

    private static (string User, string Secret)? Credentials(StringValues header, bool basic)
    {
        var value = header.ToString().Trim();
        if (value.Length == 0)
        {
            return null;
        }
        if (basic)
        {
            if (!value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            value = value[6..].Trim();
        }
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(value));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
    }
}
