using Microsoft.AspNetCore.Http.Features;

namespace Wheelhouse.Server.Http;

/// <summary>
/// HEAD on every GET route (RFC 9110 9.3.2), in one place instead of a HEAD beside each GET: a HEAD request is routed
/// as GET, then handled as HEAD with its body discarded, so the status and headers are exactly GET's. Endpoints may
/// still skip writing when <see cref="HttpMethods.IsHead"/> (the file endpoints do, to not read a file for nothing).
/// </summary>
public static class HeadRequests
{
    private sealed class RoutedAsGet;

    /// <summary>Adds routing between the two halves; the endpoints mapped after this call answer HEAD as GET.</summary>
    public static void UseHeadAsGet(this WebApplication app)
    {
        app.Use(RouteAsGetAsync);
        app.UseRouting();
        app.Use(HandleAsHead);
    }

    private static async Task RouteAsGetAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        var body = context.Features.Get<IHttpResponseBodyFeature>()!;
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        context.Request.Method = HttpMethods.Get;
        context.Items[typeof(RoutedAsGet)] = null;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Method = HttpMethods.Head;
            context.Features.Set(body);
        }
    }

    private static Task HandleAsHead(HttpContext context, RequestDelegate next)
    {
        if (context.Items.ContainsKey(typeof(RoutedAsGet)))
        {
            context.Request.Method = HttpMethods.Head;
        }
        return next(context);
    }
}
