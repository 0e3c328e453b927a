using System.Diagnostics;
using System.Net;

namespace Wheelhouse.Server.Metrics;

/// <summary>
/// Counts and times each attempt at a mirror upstream, by host and outcome. It sits inside the resilience pipeline
/// (below retries and the per-attempt timeout), so a retried request counts once per attempt and a timeout as one.
/// </summary>
public sealed class UpstreamMetricsHandler(ServerMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var host = request.RequestUri?.Authority ?? "unknown";
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.Upstream(host, OutcomeOf(response.StatusCode), Stopwatch.GetElapsedTime(start).TotalSeconds);
            return response;
        }
        catch (OperationCanceledException)
        {
            // The attempt timeout or the caller gave up (a client that went away looks the same from here).
            metrics.Upstream(host, "timeout", Stopwatch.GetElapsedTime(start).TotalSeconds);
            throw;
        }
        catch (HttpRequestException)
        {
            metrics.Upstream(host, "error", Stopwatch.GetElapsedTime(start).TotalSeconds);
            throw;
        }
    }

    public static string OutcomeOf(HttpStatusCode code) => (int)code switch
    {
        304 => "not_modified",
        404 or 410 => "not_found",
        < 400 => "ok",
        < 500 => "client_error",
        _ => "server_error",
    };
}
