using System.Collections.Concurrent;
using System.Globalization;

namespace Wheelhouse.Server.Http;

/// <summary>
/// Reads the weighted lists of Accept and Accept-Encoding (RFC 9110 12.4.2), and memoizes what a header value was
/// resolved to: clients send few distinct values, so each is parsed once.
/// </summary>
/// <typeparam name="T">What a header value is resolved to.</typeparam>
public sealed class QualityValues<T>(Func<IReadOnlyList<(string Value, double Quality)>, T> resolve, int capacity = 512)
{
    private readonly ConcurrentDictionary<string, T> _memo = new(StringComparer.Ordinal);

    public T Resolve(string header)
    {
        if (_memo.TryGetValue(header, out var known))
        {
            return known;
        }
        var resolved = resolve(Parse(header));
        if (_memo.Count < capacity)
        {
            _memo[header] = resolved;
        }
        return resolved;
    }

    /// <summary>Each element's value, lower case, and its q (1 when absent, 0 when unreadable).</summary>
    public static IReadOnlyList<(string Value, double Quality)> Parse(string header)
    {
        var list = new List<(string, double)>();
        foreach (var part in header.Split(','))
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
            list.Add((pieces[0].Trim().ToLowerInvariant(), q));
        }
        return list;
    }
}
