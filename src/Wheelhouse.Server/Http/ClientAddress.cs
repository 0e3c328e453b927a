using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Http;

/// <summary>
/// The address a request really comes from: the connection's peer, or, when that peer is a trusted proxy, the last
/// address in <c>X-Forwarded-For</c> that is not itself a trusted proxy. A client elsewhere cannot choose what is logged
/// or which failed-login counter it uses.
/// </summary>
public sealed class ClientAddress(ServerOptions options)
{
    public string Of(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null)
        {
            return "unknown";
        }
        var address = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        if (!TrustedProxies.Contains(options.TrustedProxies, address))
        {
            return address.ToString();
        }
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = forwarded.Length - 1; i >= 0; i--)
        {
            if (!System.Net.IPAddress.TryParse(forwarded[i], out var hop))
            {
                break; // a hop nobody can vouch for: stop at the last address that is known
            }
            address = hop.IsIPv4MappedToIPv6 ? hop.MapToIPv4() : hop;
            if (!TrustedProxies.Contains(options.TrustedProxies, address))
            {
                break;
            }
        }
        return address.ToString();
    }
}
