using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Http;

/// <summary>Turns a bug or an infrastructure failure into a logged 500 (503 when the user directory is unreachable) with a JSON message instead of a dropped connection.</summary>
public sealed class UnhandledErrors(ILogger<UnhandledErrors> logger)
{
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
