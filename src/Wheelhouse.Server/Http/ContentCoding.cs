using System.Collections.Concurrent;
using System.Globalization;

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
/// identity when nothing else is acceptable. Memoized per header value: clients send few distinct ones.
/// </summary>
public static class ContentCodings
{
    private static readonly ConcurrentDictionary<string, ContentCoding> Memo = new(StringComparer.Ordinal);

    /// <summary>The <c>Content-Encoding</c> token of <paramref name="coding"/>; null for identity.</summary>
    public static string? Token(ContentCoding coding) => coding switch
    {
        ContentCoding.Gzip => "gzip",
        ContentCoding.Brotli => "br",
        _ => null,
    };

    public static ContentCoding Choose(string acceptEncoding)
    {
        if (acceptEncoding.Length == 0)
        {
            return ContentCoding.Identity;
        }
        if (Memo.TryGetValue(acceptEncoding, out var known))
        {
            return known;
        }
        var chosen = Parse(acceptEncoding);
        if (Memo.Count < 256)
        {
            Memo[acceptEncoding] = chosen;
        }
        return chosen;
    }

    private static ContentCoding Parse(string acceptEncoding)
    {
        double gzip = -1, brotli = -1, any = -1;
        foreach (var part in acceptEncoding.Split(','))
        {
            var pieces = part.Split(';');
            var q = 1.0;
            foreach (var parameter in pieces.Skip(1))
            {
                var kv = parameter.Split('=', 2);
                if (kv.Length == 2 && kv[0].Trim().Equals("q", StringComparison.OrdinalIgnoreCase)
                    && !double.TryParse(kv[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out q))
                {
                    q = 0;
                }
            }
            switch (pieces[0].Trim().ToLowerInvariant())
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
