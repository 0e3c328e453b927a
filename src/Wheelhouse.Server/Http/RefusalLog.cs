namespace Wheelhouse.Server.Http;

/// <summary>
/// One Information line for each refused change or log-in (any 4xx answer to a request that is not a read): who (the
/// user the credentials named, or anonymous), from where (<see cref="ClientAddress"/>), on which index, and why (the
/// answer's message, which never holds a password or token). An operator can see guessing and probing.
/// </summary>
public sealed class RefusalLog(ILogger<RefusalLog> logger, ClientAddress addresses)
{
    private const string UserItem = "wheelhouse.refusal.user";

    /// <summary>Remembers the user name a request's credentials or log-in body named, for its refusal line.</summary>
    public static void NoteUser(HttpContext context, string? user)
    {
        if (!string.IsNullOrEmpty(user))
        {
            context.Items[UserItem] = user;
        }
    }

    public void Refused(HttpContext context, int status, string reason)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || status is < 400 or >= 500)
        {
            return;
        }
        var user = context.Items.TryGetValue(UserItem, out var u) && u is string name ? Printable(name) : "anonymous";
        var values = context.Request.RouteValues;
        var index = values.TryGetValue("user", out var owner) && owner is string o
            ? Printable(values.TryGetValue("index", out var i) && i is string ix ? $"{o}/{ix}" : o)
            : "-";
        logger.LogInformation("refused {Method} {Path}: {Status} {Reason} (user {User}, client {Client}, index {Index})",
            context.Request.Method, Printable(context.Request.Path.Value ?? ""), status, Printable(reason), user, addresses.Of(context), index);
    }

    // Paths, names and messages carry client text: no control characters (forged log lines) into the log.
    private static string Printable(string s) => new(s.Take(500).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
