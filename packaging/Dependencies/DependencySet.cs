namespace Wheelhouse.Packaging.Dependencies;

/// <summary>
/// A Depends value: groups sorted by their first package name, one group per set of alternatives; where the same
/// package is required twice the higher minimum wins.
/// </summary>
public sealed class DependencySet
{
    private DependencySet(IReadOnlyList<DependencyGroup> groups) => Groups = groups;

    public IReadOnlyList<DependencyGroup> Groups { get; }

    public static DependencySet Create(IEnumerable<DependencyGroup> groups)
    {
        var merged = new Dictionary<string, DependencyGroup>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            merged[group.Key] = merged.TryGetValue(group.Key, out var existing) ? Stricter(existing, group) : group;
        }

        return new DependencySet(merged.Values.OrderBy(g => g.Alternatives[0].Package, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal).ToList());
    }

    /// <summary>The field value, e.g. "libc6 (>= 2.34), libssl3t64 | libssl3 | libssl1.1, tzdata".</summary>
    public override string ToString() => string.Join(", ", Groups);

    private static DependencyGroup Stricter(DependencyGroup a, DependencyGroup b) =>
        new(a.Alternatives.Zip(b.Alternatives, (x, y) => Higher(x, y)).ToList());

    private static PackageRelation Higher(PackageRelation x, PackageRelation y)
    {
        if (x.Operator is null)
        {
            return y;
        }

        if (y.Operator is null)
        {
            return x;
        }

        if (x.Operator != ">=" || y.Operator != ">=")
        {
            if (x == y)
            {
                return x;
            }

            throw new InvalidOperationException($"cannot merge the dependencies '{x}' and '{y}'; state one of them");
        }

        return x.Version! >= y.Version! ? x : y;
    }
}
