namespace Wheelhouse.Server.Http;

/// <summary>Turns a bug or an infrastructure failure into a logged 500 with a JSON message instead of a dropped connection.</summary>
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
