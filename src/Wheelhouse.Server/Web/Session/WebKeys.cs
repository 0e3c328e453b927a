using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// The web interface's keys, each derived from the server secret (<c>&lt;data&gt;/.secret</c>) for one purpose, so that a
/// value signed for one use (a session, a form token) is worthless for another, and none is an API token.
/// </summary>
public sealed class WebKeys(byte[] serverSecret)
{
    /// <summary>Signs the log-in tokens a session carries (a <see cref="Auth.TokenService"/> of its own).</summary>
    public byte[] SessionToken { get; } = Derive(serverSecret, "wheelhouse web session token v1");

    /// <summary>Signs the session cookie as a whole (its id, user and token together).</summary>
    public byte[] SessionCookie { get; } = Derive(serverSecret, "wheelhouse web session cookie v1");

    public byte[] Csrf { get; } = Derive(serverSecret, "wheelhouse web csrf v1");

    private static byte[] Derive(byte[] secret, string purpose) => HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(purpose));
}
