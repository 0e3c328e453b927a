using System.Net;

namespace Wheelhouse.Server.Configuration;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> is believed (config <c>trustedProxies</c>): IP addresses or CIDR ranges,
/// separated by commas or spaces. A request from anywhere else is logged with its own address, whatever it claims.
/// </summary>
public static class TrustedProxies
{
    /// <summary>The packaged nginx site proxies from the same host.</summary>
    public static readonly IReadOnlyList<IPNetwork> Default = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <returns>Null and a problem for each entry that is neither an address nor a CIDR range.</returns>
    /// <param name="key">The setting read (metricsAllowedFrom takes the same form), for the message.</param>
    public static IReadOnlyList<IPNetwork>? Parse(string value, string source, List<string> problems, string key = "trustedProxies")
    {
        var networks = new List<IPNetwork>();
        var ok = true;
        foreach (var entry in value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                problems.Add($"{source}: {key} entry '{entry}' is neither an IP address nor a CIDR range (such as 127.0.0.1, ::1 or 10.0.0.0/8)");
                ok = false;
            }
        }
        return ok ? networks : null;
    }

    public static bool Contains(IReadOnlyList<IPNetwork> networks, IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(plain));
    }
}
