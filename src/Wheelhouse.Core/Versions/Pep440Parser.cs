using System.Globalization;
using System.Numerics;

namespace Wheelhouse.Core.Versions;

/// <summary>
/// A single-pass parser for the grammar of <c>packaging.version.VERSION_PATTERN</c>:
/// <c>v? (N!)? N(.N)* ([-_.]? (a|b|c|rc|alpha|beta|pre|preview) [-_.]? N?)? (-N | [-_.]? (post|rev|r) [-_.]? N?)?
/// ([-_.]? dev [-_.]? N?)? (+ [a-z0-9]+ ([-_.][a-z0-9]+)*)?</c>, case-insensitive.
/// </summary>
/// <remarks>
/// The regex's backtracking never changes its result here: every optional separator taken greedily leaves a
/// remainder that a superset of the grammar accepts, and no label is a prefix of another label that could follow
/// (longest labels are tried first). The corpus test against Python's packaging pins this equivalence.
/// </remarks>
internal static class Pep440Parser
{
    public readonly record struct Parts(BigInteger Epoch, BigInteger[] Release, PreRelease? Pre, BigInteger? Post, BigInteger? Dev, string[]? Local);

    private static readonly string[] PreLabels = ["preview", "alpha", "beta", "pre", "rc", "a", "b", "c"];
    private static readonly string[] PostLabels = ["post", "rev", "r"];
    private static readonly string[] DevLabels = ["dev"];

    public static bool TryParse(ReadOnlySpan<char> s, out Parts parts)
    {
        parts = default;
        var i = s.Length > 0 && s[0] is 'v' or 'V' ? 1 : 0;
        var end = Digits(s, i);
        if (end == i)
        {
            return false;
        }
        var epoch = BigInteger.Zero;
        if (end < s.Length && s[end] == '!')
        {
            epoch = Number(s[i..end]);
            i = end + 1;
            end = Digits(s, i);
            if (end == i)
            {
                return false;
            }
        }
        var count = 1;
        for (var k = end; k + 1 < s.Length && s[k] == '.' && char.IsAsciiDigit(s[k + 1]); k = Digits(s, k + 1))
        {
            count++;
        }
        var release = new BigInteger[count];
        release[0] = Number(s[i..end]);
        i = end;
        for (var k = 1; k < count; k++)
        {
            end = Digits(s, i + 1);
            release[k] = Number(s[(i + 1)..end]);
            i = end;
        }

        PreRelease? pre = null;
        if (Label(s, SkipSeparator(s, i), PreLabels) is var (preLabel, afterPre) && preLabel is not null)
        {
            var number = OptionalNumber(s, SkipSeparator(s, afterPre), out i);
            pre = new PreRelease(preLabel switch { "a" or "alpha" => "a", "b" or "beta" => "b", _ => "rc" }, number);
        }

        BigInteger? post = null;
        if (i + 1 < s.Length && s[i] == '-' && char.IsAsciiDigit(s[i + 1]))
        {
            end = Digits(s, i + 1);
            post = Number(s[(i + 1)..end]); // implicit post release: 1.0-1
            i = end;
        }
        else if (Label(s, SkipSeparator(s, i), PostLabels) is var (postLabel, afterPost) && postLabel is not null)
        {
            post = OptionalNumber(s, SkipSeparator(s, afterPost), out i);
        }

        BigInteger? dev = null;
        if (Label(s, SkipSeparator(s, i), DevLabels) is var (devLabel, afterDev) && devLabel is not null)
        {
            dev = OptionalNumber(s, SkipSeparator(s, afterDev), out i);
        }

        string[]? local = null;
        if (i < s.Length && s[i] == '+')
        {
            if (!TryLocal(s[(i + 1)..], out local))
            {
                return false;
            }
            i = s.Length;
        }
        if (i != s.Length)
        {
            return false;
        }
        parts = new Parts(epoch, release, pre, post, dev, local);
        return true;
    }

    private static bool TryLocal(ReadOnlySpan<char> s, out string[]? local)
    {
        local = null;
        var segments = new List<string>(2);
        var i = 0;
        while (true)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiLetterOrDigit(s[i]))
            {
                i++;
            }
            if (i == start)
            {
                return false;
            }
            var segment = s[start..i];
            segments.Add(segment.ContainsAnyExceptInRange('0', '9')
                ? segment.ToString().ToLowerInvariant()
                : (segment.TrimStart('0') is { Length: > 0 } digits ? digits.ToString() : "0"));
            if (i == s.Length)
            {
                local = [.. segments];
                return true;
            }
            if (s[i] is not ('-' or '_' or '.'))
            {
                return false;
            }
            i++;
        }
    }

    private static (string? Label, int End) Label(ReadOnlySpan<char> s, int i, string[] labels)
    {
        foreach (var label in labels)
        {
            if (s.Length - i >= label.Length && s.Slice(i, label.Length).Equals(label, StringComparison.OrdinalIgnoreCase))
            {
                return (label, i + label.Length);
            }
        }
        return (null, i);
    }

    private static int SkipSeparator(ReadOnlySpan<char> s, int i) => i < s.Length && s[i] is '-' or '_' or '.' ? i + 1 : i;

    private static BigInteger OptionalNumber(ReadOnlySpan<char> s, int i, out int end)
    {
        end = Digits(s, i);
        return end > i ? Number(s[i..end]) : BigInteger.Zero;
    }

    private static int Digits(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        return i;
    }

    private static BigInteger Number(ReadOnlySpan<char> digits) => digits.Length <= 18
        ? new BigInteger(long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture))
        : BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
