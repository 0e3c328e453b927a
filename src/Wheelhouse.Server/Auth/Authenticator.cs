using System.Text;
using Microsoft.Extensions.Primitives;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// Reads <c>X-Devpi-Auth</c> (devpi client) or <c>Authorization: Basic</c> (twine, pip), each <c>user:secret</c> where
/// the secret is a login token or the password. Bad or expired credentials make the request anonymous (spec
/// "Authentication"); only the upload endpoint turns that into a challenge.
/// </summary>
public sealed class Authenticator(UsersAndIndexes users, PasswordHasher hasher, TokenService tokens, LoginThrottle throttle, ClientAddress addresses)
{
    public RequestIdentity Identify(HttpRequest request)
    {
        var credentials = Credentials(request.Headers["X-Devpi-Auth"], basic: false)
            ?? Credentials(request.Headers.Authorization, basic: true);
        if (credentials is not { } c)
        {
            return RequestIdentity.Anonymous;
        }
        RefusalLog.NoteUser(request.HttpContext, c.User);
        var client = addresses.Of(request.HttpContext);
        if (throttle.RetryAfter(c.User, client) is not null)
        {
            return new RequestIdentity(Principal.Anonymous, true); // too many failures: not even checked
        }
        var user = users.Find(c.User);
        if (user is null)
        {
            throttle.Failed(c.User, client);
            return new RequestIdentity(Principal.Anonymous, true);
        }
        var ok = tokens.Validate(user.Name, user.PasswordHash, c.Secret) || hasher.Verify(user.Name, c.Secret, user.PasswordHash);
        if (ok)
        {
            throttle.Succeeded(user.Name);
        }
        else if (!tokens.IsSigned(c.Secret))
        {
            throttle.Failed(c.User, client); // an expired token of ours is no guess; anything else may be
        }
        // Local users get their groups from a layout file; LDAP groups would be added to the principal here.
        return new RequestIdentity(ok ? Principal.ForUser(UserName.Parse(user.Name), user.Groups) : Principal.Anonymous, true);
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
