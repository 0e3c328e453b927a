using Prometheus;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Metrics;

/// <summary>
/// <c>/+metrics</c>: the Prometheus text format (prometheus-net's exporter), for the addresses in
/// <c>metricsAllowedFrom</c> (loopback by default). The address is the client's as <see cref="ClientAddress"/> resolves
/// it, so behind the packaged nginx (on loopback) a remote client is judged by its own address, not nginx's.
/// </summary>
public sealed class MetricsEndpoint(ServerOptions options, ClientAddress addresses)
{
    public const string Route = "/+metrics";

    public static void Map(WebApplication app) =>
        app.MapMetrics(Route, app.Services.GetRequiredService<ServerMetrics>().Registry);

    /// <summary>The middleware, after routing: refuses <see cref="Route"/> to addresses outside <c>metricsAllowedFrom</c>.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (RequestMetrics.RouteOf(context) != Route)
        {
            return next(context);
        }
        var client = addresses.Of(context);
        if (System.Net.IPAddress.TryParse(client, out var address) && TrustedProxies.Contains(options.MetricsAllowedFrom, address))
        {
            return next(context);
        }
        return ApiResponse.Error(context, StatusCodes.Status403Forbidden,
            $"{Route} is not open to {client}: add its address or network to metricsAllowedFrom in the server's configuration");
    }
}
