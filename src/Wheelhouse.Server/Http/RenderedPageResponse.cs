using Microsoft.Extensions.Primitives;
using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Http;

/// <summary>
/// Answers a rendered simple page: in the coding the client accepts (compressed once per rendering), with its strong
/// ETag, 304 when If-None-Match names it, and a Cache-Control that lets clients keep it briefly and then revalidate.
/// </summary>
public static class RenderedPageResponse
{
    /// <summary>
    /// PyPI sends <c>max-age=600, public</c> and purges its CDN on upload; nothing can purge a client's cache, and a
    /// private index is read right after an upload (CI), so a minute, then revalidation (a 304 costs a lookup).
    /// pip revalidates index pages every time anyway (it asks with <c>max-age=0</c>); uv honours max-age.
    /// </summary>
    public const string CacheControl = "public, max-age=60, must-revalidate";

    private static readonly StringValues VaryValue = new("Accept, Accept-Encoding");
    private static readonly StringValues CacheControlValue = new(CacheControl);

    public static Task WriteAsync(HttpContext context, string contentType, byte[] body)
    {
        var rendering = CompressedRendering.For(body);
        var coding = ContentCodings.Choose(context.Request.Headers.AcceptEncoding.ToString());
        var response = context.Response;
        var etag = rendering.ETag(coding);
        response.Headers.Vary = VaryValue;
        response.Headers.CacheControl = CacheControlValue;
        response.Headers.ETag = etag;
        if (Matches(context.Request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = contentType;
        if (ContentCodings.Token(coding) is { } token)
        {
            response.Headers.ContentEncoding = token;
        }
        var bytes = rendering.Body(coding);
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }
        return bytes.Length <= WriteSlice ? response.Body.WriteAsync(bytes, 0, bytes.Length) : WriteInSlicesAsync(response, bytes, context.RequestAborted);
    }

    /// <summary>
    /// Kestrel copies whatever one write hands it into its pooled buffers before it waits for the client: a 7 MB
    /// project list written at once sat whole in the pool once per connection (32 connections: over 200 MB, which the
    /// pool keeps). In slices, each write waits until the connection has taken the slice before it (the output
    /// pipe's 64 KB pause threshold), so a connection holds a slice or two, whatever the page's size.
    /// </summary>
    private static async Task WriteInSlicesAsync(HttpResponse response, byte[] bytes, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < bytes.Length; offset += WriteSlice)
        {
            await response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(WriteSlice, bytes.Length - offset)), cancellationToken);
        }
    }

    /// <summary>Kestrel's default response buffer (MaxResponseBufferSize): a page up to this size is one write.</summary>
    private const int WriteSlice = 64 * 1024;

    /// <summary>If-None-Match uses the weak comparison (RFC 9110 13.1.2): a W/ prefix (a proxy's) does not matter.</summary>
    private static bool Matches(StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            foreach (var candidate in (value ?? "").Split(','))
            {
                var tag = candidate.Trim();
                if (tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == etag)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
