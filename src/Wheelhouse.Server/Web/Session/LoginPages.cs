using System.Globalization;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// The browser's log-in: <c>GET /+login</c> shows the form, <c>POST /+web/login</c> checks it (CSRF token, then the
/// server's one log-in rule with its failed-login limit, the same accounts as <c>devpi login</c>: local and directory
/// users) and starts a session; <c>POST /+web/logout</c> ends it. devpi's JSON <c>POST /+login</c> is untouched.
/// </summary>
public static class LoginPages
{
    public const string FormPage = "/+login";
    public const string FormAction = "/+web/login";
    public const string LogoutAction = "/+web/logout";

    public static void Map(WebApplication app)
    {
        app.MapGet(FormPage, (HttpContext c, WebSessions sessions) =>
        {
            if (ClientKind.WantsJson(c.Request) && !c.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                return ApiResponse.Error(c, 405, "log in with POST /+login and a JSON body {\"user\": ..., \"password\": ...}");
            }
            var viewer = sessions.ViewerOf(c);
            return viewer.IsAnonymous
                ? Form(c, 200, viewer, null, null, LocalTarget(c.Request.Query["next"]))
                : SessionPage.WriteAsync(c, 200, "Logged in", viewer,
                    $"""<p>You are logged in as <strong>{SessionPage.Escape(viewer.User)}</strong>.</p><p><a href="{SessionPage.Escape(SessionPage.Root(c))}/">Go to the list of indexes</a></p>""");
        });
        app.MapPost(FormAction, LogInAsync);
        app.MapPost(LogoutAction, async (HttpContext c, WebSessions sessions, CsrfTokens csrf) =>
        {
            var viewer = sessions.ViewerOf(c);
            var form = await FormOf(c);
            if (form is null || !csrf.IsValid(c, viewer.User, form[CsrfTokens.FieldName]))
            {
                await CsrfRefusedAsync(c, viewer);
                return;
            }
            sessions.End(c);
            SessionPage.SeeOther(c, "/");
        });
    }

    private static async Task LogInAsync(HttpContext c, WebSessions sessions, CsrfTokens csrf, Authenticator auth, LoginThrottle throttle,
        ClientAddress addresses, PasswordRehash rehash)
    {
        var viewer = sessions.ViewerOf(c);
        var form = await FormOf(c);
        if (form is null || !csrf.IsValid(c, viewer.User, form[CsrfTokens.FieldName]))
        {
            await CsrfRefusedAsync(c, viewer);
            return;
        }
        var name = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var next = LocalTarget(form["next"]);
        RefusalLog.NoteUser(c, name);
        var client = addresses.Of(c);
        if (name.Length == 0 || password.Length == 0)
        {
            throttle.Failed(name.Length == 0 ? null : name, client);
            await Form(c, 400, viewer, name, "Enter both your user name and your password.", next);
            return;
        }
        var result = auth.Authenticate(name, password, client);
        if (result.RetryAfter is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            c.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Form(c, 429, viewer, name, $"Too many failed log-ins for this user or from this address; try again in {seconds} seconds.", next);
            return;
        }
        if (result.Unavailable is { } reason)
        {
            await Form(c, 503, viewer, name, $"The directory could not be asked ({reason}); try again later.", next);
            return;
        }
        if (!result.Accepted)
        {
            await Form(c, 401, viewer, name, "The user name or the password is wrong.", next);
            return;
        }
        result = await rehash.AfterLoginAsync(result, name, password, c.RequestAborted);
        sessions.Begin(c, result);
        SessionPage.SeeOther(c, next ?? "/");
    }

    /// <summary>Refuses a form whose CSRF token is missing or not this browser's (a forged cross-site post, or a stale page).</summary>
    public static Task CsrfRefusedAsync(HttpContext c, WebViewer viewer) =>
        SessionPage.RefusedAsync(c, 403, viewer,
            "This form was not sent from a page of this server (its security token is missing or out of date). Reload the page and send it again.");

    /// <summary>The form fields of a url-encoded or multipart POST; null for any other body.</summary>
    public static async Task<IFormCollection?> FormOf(HttpContext c) =>
        c.Request.HasFormContentType ? await c.Request.ReadFormAsync(c.RequestAborted) : null;

    /// <summary>A path on this server (below the outside URL) to return to; never another origin (<c>//host</c>, <c>/\host</c>, a scheme).</summary>
    public static string? LocalTarget(string? next) =>
        next is { Length: > 0 and < 2000 } && next[0] == '/' && (next.Length == 1 || next[1] is not ('/' or '\\'))
            && !next.Any(ch => char.IsControl(ch) || ch == '\\')
            ? next
            : null;

    private static Task Form(HttpContext c, int status, WebViewer viewer, string? name, string? error, string? next)
    {
        var errorHtml = error is null ? "" : $"""<p class="problem" role="alert" id="login-error">{SessionPage.Escape(error)}</p>""";
        var nextHtml = next is null ? "" : $"""<input type="hidden" name="next" value="{SessionPage.Escape(next)}">""";
        return SessionPage.WriteAsync(c, status, "Log in", viewer, $"""
            {errorHtml}
            <form class="login" method="post" action="{SessionPage.Escape(SessionPage.Root(c) + FormAction)}">
            {SessionPage.CsrfField(viewer)}{nextHtml}
            <p><label for="username">User name</label><br><input id="username" name="username" autocomplete="username" required value="{SessionPage.Escape(name)}"></p>
            <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
            <p><button type="submit">Log in</button></p>
            </form>
            <p>Use the same account as for <code>devpi login</code>; directory users log in with their directory password.</p>
            """);
    }
}
