namespace Wheelhouse.Server.Http;

/// <summary>The representations of a simple-API page (PEP 503 HTML, PEP 691 JSON).</summary>
public enum SimpleFormat
{
    Html,
    V1Html,
    Json,
    Unacceptable,
}

/// <summary>
/// PEP 691 content negotiation, the one place it happens: the highest-q acceptable media type wins, ties go to the
/// first listed, no Accept (or only <c>*/*</c>) means HTML. Results are memoized per Accept string: clients send few
/// distinct ones.
/// </summary>
public static class SimpleNegotiation
{
    public const string JsonType = "application/vnd.pypi.simple.v1+json";
    public const string V1HtmlType = "application/vnd.pypi.simple.v1+html";
    public const string HtmlType = "text/html; charset=utf-8";

    private static readonly QualityValues<SimpleFormat> Accepted = new(Best);

    public static string ContentType(SimpleFormat format) => format switch
    {
        SimpleFormat.Json => JsonType,
        SimpleFormat.V1Html => V1HtmlType,
        _ => HtmlType,
    };

    public static SimpleFormat Choose(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0 ? SimpleFormat.Html : Accepted.Resolve(accept);
    }

    internal static SimpleFormat Parse(string accept) => Best(QualityValues<SimpleFormat>.Parse(accept));

    private static SimpleFormat Best(IReadOnlyList<(string Value, double Quality)> accepted)
    {
        var best = SimpleFormat.Unacceptable;
        var bestQ = 0.0;
        foreach (var (media, q) in accepted)
        {
            SimpleFormat? format = media switch
            {
                JsonType or "application/vnd.pypi.simple.latest+json" => SimpleFormat.Json,
                V1HtmlType or "application/vnd.pypi.simple.latest+html" => SimpleFormat.V1Html,
                "text/html" or "text/*" or "*/*" => SimpleFormat.Html,
                _ => null,
            };
            if (format is { } f && q > bestQ)
            {
                best = f;
                bestQ = q;
            }
        }
        return best;
    }
}
