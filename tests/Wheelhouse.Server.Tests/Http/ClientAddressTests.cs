using System.Net;
using Microsoft.AspNetCore.Http;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Tests.Http;

public sealed class ClientAddressTests
{
    private static string Of(string peer, string? forwardedFor, string trusted = "127.0.0.0/8, ::1, 10.0.0.0/8")
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }
        var options = new ServerOptions { TrustedProxies = TrustedProxies.Parse(trusted, "test", [])! };
        return new ClientAddress(options).Of(context);
    }

    [Theory]
    [InlineData("198.51.100.7", "203.0.113.1", "198.51.100.7")] // not a proxy: its header is a claim, not a fact
    [InlineData("127.0.0.1", "203.0.113.1", "203.0.113.1")]
    [InlineData("::ffff:127.0.0.1", "203.0.113.1", "203.0.113.1")]
    [InlineData("127.0.0.1", "6.6.6.6, 203.0.113.1, 10.1.2.3", "203.0.113.1")] // the client may prepend anything; proxies append
    [InlineData("127.0.0.1", null, "127.0.0.1")]
    [InlineData("127.0.0.1", "not-an-address", "127.0.0.1")]
    public void Forwarded_for_counts_only_from_trusted_proxies(string peer, string? forwardedFor, string expected) =>
        Of(peer, forwardedFor).Should().Be(expected);

    [Fact]
    public void With_no_trusted_proxy_the_peer_is_the_client() => Of("127.0.0.1", "203.0.113.1", "").Should().Be("127.0.0.1");
}
