using System.Text.Encodings.Web;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// The pages of the session's own flows (log-in form, delete confirmation, a refusal), rendered in the site's layout
/// (<see cref="PageRenderer"/>, template <c>session</c>) with every value escaped, the pages' security headers and
/// <c>no-store</c> (they carry form tokens). Links are absolute from the outside URL, so a path prefix is kept.
/// </summary>
public static class SessionPage
{
    public static string Escape(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    /// <summary>The server's root as the browser sees it (<see cref="OutsideUrl"/>), no trailing slash.</summary>
    public static string Root(HttpContext context) => context.RequestServices.GetRequiredService<OutsideUrl>().For(context.Request);

    /// <summary>A hidden form field with the viewer's CSRF token.</summary>
    public static string CsrfField(WebViewer viewer) =>
        $"""<input type="hidden" name="{CsrfTokens.FieldName}" value="{Escape(viewer.CsrfToken)}">""";

    /// <summary>For the page header: a log-in link, or who is logged in and the log-out button.</summary>
    public static string LogoutForm(WebViewer viewer, string root) => viewer.IsAnonymous
        ? $"""<a href="{Escape(root + LoginPages.FormPage)}">Log in</a>"""
        : $"""<form class="logout" method="post" action="{Escape(root + LoginPages.LogoutAction)}">{CsrfField(viewer)}<span>Logged in as <strong>{Escape(viewer.User)}</strong></span> <button type="submit">Log out</button></form>""";

    public static Task WriteAsync(HttpContext context, int status, string title, WebViewer viewer, string mainHtml)
    {
        var renderer = context.RequestServices.GetRequiredService<PageRenderer>();
        var body = renderer.Render("session", title, new SessionPageModel(new HtmlString(mainHtml)), viewer, new WebLinks(Root(context)));
        return HtmlPageResponse.WriteAsync(context, status, body, shared: false);
    }

    public static Task RefusedAsync(HttpContext context, int status, WebViewer viewer, string reason) =>
        WriteAsync(context, status, status switch { 403 => "Not allowed", 404 => "Not found", _ => "Could not do that" }, viewer,
            $"""<p class="problem" role="alert">{Escape(reason)}</p><p><a href="{Escape(Root(context))}/">Go to the list of indexes</a></p>""");

    /// <summary>Redirects (303 See Other, as after a form) to a path of this server.</summary>
    public static void SeeOther(HttpContext context, string path)
    {
        context.Response.Redirect(Root(context) + path);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }
}
