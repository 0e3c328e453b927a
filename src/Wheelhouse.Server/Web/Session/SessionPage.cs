using System.Text;
using System.Text.Encodings.Web;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// The pages of the session's own flows (log-in form, delete confirmation, a refusal): HTML with every value escaped,
/// the site's security headers and <c>no-store</c> (they carry form tokens).
/// </summary>
public static class SessionPage
{
    /// <summary>Nothing but our own stylesheet, no script, forms post only here, never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static string Escape(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <summary>A hidden form field with the viewer's CSRF token.</summary>
    public static string CsrfField(WebViewer viewer) =>
        $"""<input type="hidden" name="{CsrfTokens.FieldName}" value="{Escape(viewer.CsrfToken)}">""";

    /// <summary>The log-out button, for a logged-in viewer's page header.</summary>
    public static string LogoutForm(WebViewer viewer) => viewer.IsAnonymous
        ? """<a href="/+login">Log in</a>"""
        : $"""<form class="logout" method="post" action="/+web/logout">{CsrfField(viewer)}<span>Logged in as <strong>{Escape(viewer.User)}</strong></span> <button type="submit">Log out</button></form>""";

    public static Task WriteAsync(HttpContext context, int status, string title, WebViewer viewer, string mainHtml)
    {
        var header = LogoutForm(viewer); // before the response starts: it may set the CSRF cookie
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Escape(title)} · Wheelhouse</title>
            <link rel="stylesheet" href="/+static/style.css">
            </head>
            <body>
            <header class="site"><a class="home" href="/">Wheelhouse</a><div class="session">{header}</div></header>
            <main>
            <h1>{Escape(title)}</h1>
            {mainHtml}
            </main>
            </body>
            </html>

            """;
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        Secure(response);
        var bytes = Encoding.UTF8.GetBytes(html);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    public static Task RefusedAsync(HttpContext context, int status, WebViewer viewer, string reason) =>
        WriteAsync(context, status, status switch { 403 => "Not allowed", 404 => "Not found", _ => "Could not do that" }, viewer,
            $"""<p class="error" role="alert">{Escape(reason)}</p><p><a href="/">Back to the start page</a></p>""");

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = "private, no-store";
    }
}
