using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Web;

/// <summary>
/// Whether a request wants the HTML page rather than devpi's JSON view of the same URL: only when it names
/// <c>text/html</c> (or XHTML) with a higher q than any JSON type, as browsers do. No Accept, <c>*/*</c>,
/// <c>application/json</c> and pip's simple-API preference (JSON first, <c>text/html;q=0.01</c>) keep today's answers.
/// </summary>
public static class HtmlNegotiation
{
    private static readonly QualityValues<bool> Accepted = new(Prefers);

    public static bool WantsHtml(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length > 0 && Accepted.Resolve(accept);
    }

    internal static bool Prefers(IReadOnlyList<(string Value, double Quality)> accepted)
    {
        double html = 0, other = 0;
        foreach (var (media, q) in accepted)
        {
            if (media is "text/html" or "application/xhtml+xml")
            {
                html = Math.Max(html, q);
            }
            else if (media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal)
                || media.StartsWith("application/vnd.pypi.", StringComparison.Ordinal))
            {
                other = Math.Max(other, q);
            }
        }
        return html > 0 && html > other;
    }
}
