namespace Wheelhouse.Server.Http;

/// <summary>The content codings the server sends (RFC 9110 8.4.1).</summary>
public enum ContentCoding
{
    Identity,
    Gzip,
    Brotli,
}

/// <summary>
/// Accept-Encoding negotiation (RFC 9110 12.5.3): the highest-q coding the server has; brotli on a tie (smaller),
/// identity when nothing else is acceptable.
/// </summary>
public static class ContentCodings
{
    private static readonly QualityValues<ContentCoding> Accepted = new(Best, capacity: 256);

    /// <summary>The <c>Content-Encoding</c> token of <paramref name="coding"/>; null for identity.</summary>
    public static string? Token(ContentCoding coding) => coding switch
    {
        ContentCoding.Gzip => "gzip",
        ContentCoding.Brotli => "br",
        _ => null,
    };

    public static ContentCoding Choose(string acceptEncoding) =>
        acceptEncoding.Length == 0 ? ContentCoding.Identity : Accepted.Resolve(acceptEncoding);

    private static ContentCoding Best(IReadOnlyList<(string Value, double Quality)> accepted)
    {
        double gzip = -1, brotli = -1, any = -1;
        foreach (var (coding, q) in accepted)
        {
            switch (coding)
            {
                case "gzip" or "x-gzip":
                    gzip = q;
                    break;
                case "br":
                    brotli = q;
                    break;
                case "*":
                    any = q;
                    break;
            }
        }
        // A coding not named takes the q of "*", if there is one.
        gzip = gzip < 0 ? any : gzip;
        brotli = brotli < 0 ? any : brotli;
        if (brotli > 0 && brotli >= gzip)
        {
            return ContentCoding.Brotli;
        }
        return gzip > 0 ? ContentCoding.Gzip : ContentCoding.Identity;
    }
}
