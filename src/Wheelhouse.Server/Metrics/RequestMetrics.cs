using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Wheelhouse.Server.Metrics;

/// <summary>
/// Counts and times every request by the route template it matched (never the raw path: one series per route, not
/// per project), and counts upload and download bytes. <see cref="InvokeAsync"/> runs first in the pipeline, so the
/// time includes every middleware; <see cref="CountBytesAsync"/> runs after routing, where the route is known.
/// </summary>
public sealed class RequestMetrics(ServerMetrics metrics)
{
    /// <summary>The route label of a request no endpoint matched (a 404 or 405 from routing).</summary>
    public const string Unmatched = "unmatched";

    public const string UploadRoute = "/{user}/{index}";

    public const string FileRoute = "/{user}/{index}/+f/{h3}/{h13}/{filename}";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.Request(RouteOf(context), context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }

    /// <summary>The route template a request matched, as mapped.</summary>
    public static string RouteOf(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint { RoutePattern: RoutePattern pattern } ? pattern.RawText ?? Unmatched : Unmatched;

    /// <summary>Wraps the body of an upload or a file download in a counting stream; other requests pass untouched.</summary>
    public async Task CountBytesAsync(HttpContext context, RequestDelegate next)
    {
        var route = RouteOf(context);
        if (route == UploadRoute && HttpMethods.IsPost(context.Request.Method))
        {
            var counting = new CountingStream(context.Request.Body, metrics.UploadBytes);
            context.Request.Body = counting;
            await next(context);
            return;
        }
        if (route == FileRoute && HttpMethods.IsGet(context.Request.Method))
        {
            var original = context.Features.Get<IHttpResponseBodyFeature>()!;
            var counting = new CountingStream(original.Stream, metrics.DownloadBytes);
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(counting, original));
            try
            {
                await next(context);
            }
            finally
            {
                context.Features.Set(original);
            }
            return;
        }
        await next(context);
    }
}
