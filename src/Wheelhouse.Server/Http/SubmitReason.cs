namespace Wheelhouse.Server.Http;

/// <summary>
/// Where a refusal's message also goes in the status line. Everywhere else the status line keeps the standard reason
/// phrase and the message is in the body, but the clients of the legacy upload API print only the reason of a refused
/// submit: <c>devpi upload</c> (client/devpi/upload.py prints <c>r.reason</c> unless the body is an actionlog), twine
/// (requests' <c>raise_for_status</c>) and <c>setup.py upload</c>. devpi-server (<c>abort_submit</c>) and PyPI put
/// the message there for the same reason.
/// </summary>
public static class SubmitReason
{
    private static readonly object Key = new();

    /// <summary>Marks <paramref name="context"/> as a legacy submit: its errors carry the message in the status line.</summary>
    public static void InStatusLine(HttpContext context) => context.Items[Key] = true;

    internal static bool IsWanted(HttpContext context) => context.Items.ContainsKey(Key);
}
