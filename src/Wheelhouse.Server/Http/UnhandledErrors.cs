using Wheelhouse.Server.Ldap;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Http;

/// <summary>
/// Turns a bug or an infrastructure failure into a logged 500 with a JSON message instead of a dropped connection; 503
/// when the user directory is unreachable, and 503 with Retry-After when the metadata database is (a restart or a
/// fail-over of PostgreSQL): the client tries again, and the server needs no restart when the database is back.
/// </summary>
public sealed class UnhandledErrors(ILogger<UnhandledErrors> logger, ServerMetrics metrics)
{
    /// <summary>Seconds a client is asked to wait when the database is away: a PostgreSQL restart takes a few.</summary>
    public const int StorageRetryAfterSeconds = 5;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (DirectoryUnavailableException e)
        {
            // Infrastructure, not a bug: the credentials are a directory user's and no directory server answered in time.
            logger.LogWarning("{Method} {Path}: {Reason}", context.Request.Method, context.Request.Path.Value, e.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ApiResponse.Error(context, 503, e.Message);
            }
        }
        catch (StorageUnavailableException e)
        {
            // The reason names the database (never its password); the client learns only that it should come back.
            metrics.StorageUnavailable.Inc();
            logger.LogWarning("{Method} {Path}: 503, {Reason}", context.Request.Method, context.Request.Path.Value, e.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.Headers.RetryAfter = StorageRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ApiResponse.Error(context, 503,
                    $"the package index's database cannot be reached at the moment; try again in {StorageRetryAfterSeconds} seconds");
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ApiResponse.Error(context, 500, $"internal server error: {e.GetType().Name}; see the server log");
            }
        }
    }
}
