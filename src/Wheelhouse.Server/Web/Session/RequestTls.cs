using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// Whether the browser reached us over TLS: the connection itself, or a trusted proxy in front that says
/// <c>X-Forwarded-Proto: https</c> (a client elsewhere cannot claim it). Decides the cookies' <c>Secure</c> flag.
/// </summary>
public sealed class RequestTls(ServerOptions options)
{
    public bool IsSecure(HttpContext context)
    {
        if (context.Request.IsHttps)
        {
            return true;
        }
        if (context.Connection.RemoteIpAddress is not { } peer
            || !TrustedProxies.Contains(options.TrustedProxies, peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer))
        {
            return false;
        }
        var proto = context.Request.Headers["X-Forwarded-Proto"].ToString();
        var comma = proto.IndexOf(',', StringComparison.Ordinal);
        return (comma >= 0 ? proto[..comma] : proto).Trim().Equals("https", StringComparison.OrdinalIgnoreCase);
    }
}
