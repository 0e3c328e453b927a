using System.Diagnostics.CodeAnalysis;

namespace Wheelhouse.Core.Indexes;

/// <summary>An index's full name <c>user/index</c>, as written in <c>bases</c> and URLs.</summary>
public sealed record IndexPath(UserName User, IndexName Index) : IComparable<IndexPath>
{
    /// <summary>Parses <c>user/index</c>; a leading or trailing '/' is tolerated (devpi clients send both).</summary>
    public static bool TryParse(string? raw, [NotNullWhen(true)] out IndexPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        var parts = (raw ?? "").Trim().Trim('/').Split('/');
        if (parts.Length != 2)
        {
            error = $"'{Packages.ProjectName.Printable(raw ?? "")}' is not an index name of the form user/index";
            return false;
        }
        if (!UserName.TryParse(parts[0], out var user, out error) || !IndexName.TryParse(parts[1], out var index, out error))
        {
            return false;
        }
        path = new IndexPath(user, index);
        return true;
    }

    public static IndexPath Parse(string raw) => TryParse(raw, out var path, out var error) ? path : throw new FormatException(error);

    public int CompareTo(IndexPath? other) => other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    public static bool operator <(IndexPath? left, IndexPath? right) => Comparer<IndexPath>.Default.Compare(left, right) < 0;

    public static bool operator <=(IndexPath? left, IndexPath? right) => Comparer<IndexPath>.Default.Compare(left, right) <= 0;

    public static bool operator >(IndexPath? left, IndexPath? right) => Comparer<IndexPath>.Default.Compare(left, right) > 0;

    public static bool operator >=(IndexPath? left, IndexPath? right) => Comparer<IndexPath>.Default.Compare(left, right) >= 0;

    public override string ToString() => $"{User.Value}/{Index.Value}";
}
