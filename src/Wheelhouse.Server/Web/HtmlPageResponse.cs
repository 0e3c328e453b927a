namespace Wheelhouse.Server.Web;

/// <summary>
/// Writes an HTML page with the headers every page carries: a Content-Security-Policy that allows only this server's
/// own script, style and forms (no inline script, no plugins, no framing), <c>X-Content-Type-Options: nosniff</c> and a
/// Referrer-Policy that keeps private index paths from leaking to other sites.
/// </summary>
public static class HtmlPageResponse
{
    /// <summary>Images may come from https hosts (README badges, a logo URL); everything else from here only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; connect-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public const string ReferrerPolicy = "same-origin";

    public static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = ReferrerPolicy;
        response.Headers["X-Frame-Options"] = "DENY";
    }

    /// <param name="shared">False for a logged-in viewer's page: kept by no cache.</param>
    public static Task WriteAsync(HttpContext context, int status, byte[] body, bool shared)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        AddSecurityHeaders(response);
        // The same URL answers JSON to API clients, and a page may name the logged-in user.
        response.Headers.Vary = "Accept, Cookie";
        response.Headers.CacheControl = shared ? "no-cache" : "private, no-store";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length);
    }
}
