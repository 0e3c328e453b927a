using System.Numerics;

namespace Wheelhouse.Core.Versions;

// Ordering and equality follow packaging.version's _cmpkey: trailing zeros of the release do not count,
// a bare dev release sorts before every pre-release of the same release, a missing pre-release sorts after
// all pre-releases, a missing post release before all post releases, a missing dev after all dev releases,
// and a local label sorts after none, segment by segment, numbers above strings.
public sealed partial class Pep440Version
{
    public int CompareTo(Pep440Version? other)
    {
        if (other is null)
        {
            return 1;
        }
        if (ReferenceEquals(this, other))
        {
            return 0;
        }
        var c = Epoch.CompareTo(other.Epoch);
        if (c != 0)
        {
            return c;
        }
        c = CompareRelease(_release, other._release);
        if (c != 0)
        {
            return c;
        }
        c = PreRank().CompareTo(other.PreRank());
        if (c == 0 && Pre is { } a && other.Pre is { } b)
        {
            c = string.CompareOrdinal(a.Label, b.Label);
            if (c == 0)
            {
                c = a.Number.CompareTo(b.Number);
            }
        }
        if (c != 0)
        {
            return c;
        }
        c = CompareOptional(Post, other.Post, missingIsLowest: true);
        if (c != 0)
        {
            return c;
        }
        c = CompareOptional(Dev, other.Dev, missingIsLowest: false);
        return c != 0 ? c : CompareLocal(_local, other._local);
    }

    // 0 = below every pre-release (bare dev release), 1 = has a pre-release, 2 = above every pre-release.
    private int PreRank() => Pre is not null ? 1 : Post is null && Dev is not null ? 0 : 2;

    private static int CompareRelease(BigInteger[] a, BigInteger[] b)
    {
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : BigInteger.Zero;
            var y = i < b.Length ? b[i] : BigInteger.Zero;
            var c = x.CompareTo(y);
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }

    private static int CompareOptional(BigInteger? a, BigInteger? b, bool missingIsLowest)
    {
        if (a is null || b is null)
        {
            return a is null && b is null ? 0 : (a is null ? -1 : 1) * (missingIsLowest ? 1 : -1);
        }
        return a.Value.CompareTo(b.Value);
    }

    private static int CompareLocal(string[]? a, string[]? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null ? 0 : a is null ? -1 : 1;
        }
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            bool an = IsNumeric(a[i]), bn = IsNumeric(b[i]);
            var c = (an, bn) switch
            {
                (true, true) => a[i].Length != b[i].Length ? a[i].Length.CompareTo(b[i].Length) : string.CompareOrdinal(a[i], b[i]),
                (false, false) => string.CompareOrdinal(a[i], b[i]),
                (true, false) => 1,
                (false, true) => -1,
            };
            if (c != 0)
            {
                return c;
            }
        }
        return a.Length.CompareTo(b.Length);
    }

    private static bool IsNumeric(string segment) => !segment.AsSpan().ContainsAnyExceptInRange('0', '9');

    public bool Equals(Pep440Version? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Pep440Version other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Epoch);
        var significant = _release.Length;
        while (significant > 1 && _release[significant - 1].IsZero)
        {
            significant--;
        }
        for (var i = 0; i < significant; i++)
        {
            hash.Add(_release[i]);
        }
        hash.Add(Pre);
        hash.Add(Post);
        hash.Add(Dev);
        hash.Add(Local);
        return hash.ToHashCode();
    }

    public static bool operator ==(Pep440Version? left, Pep440Version? right) => Equals(left, right);

    public static bool operator !=(Pep440Version? left, Pep440Version? right) => !Equals(left, right);

    public static bool operator <(Pep440Version left, Pep440Version right) => left.CompareTo(right) < 0;

    public static bool operator >(Pep440Version left, Pep440Version right) => left.CompareTo(right) > 0;

    public static bool operator <=(Pep440Version left, Pep440Version right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Pep440Version left, Pep440Version right) => left.CompareTo(right) >= 0;
}
