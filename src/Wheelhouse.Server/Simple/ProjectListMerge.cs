namespace Wheelhouse.Server.Simple;

/// <summary>
/// The project list of a resolution order: the union of its stages' lists, sorted by normalized name (ordinal), each
/// name with the display name of the first stage in the order that has it.
/// </summary>
/// <remarks>
/// Merged list by list instead of through a sorted dictionary: at 100,000 projects the dictionary's nodes were about
/// 5 MB of short-lived objects and 100,000 tree insertions on every render, and the list renders again after every
/// commit anywhere. A stage's list arrives sorted from the database; one that is not (another collation) is sorted here.
/// </remarks>
public static class ProjectListMerge
{
    public static IReadOnlyList<(string Project, string DisplayName)> Merge(IEnumerable<IReadOnlyList<(string Project, string DisplayName)>> stages)
    {
        IReadOnlyList<(string Project, string DisplayName)> merged = [];
        foreach (var stage in stages)
        {
            var sorted = Sorted(stage);
            merged = merged.Count == 0 ? sorted : sorted.Count == 0 ? merged : Union(merged, sorted);
        }
        return merged;
    }

    /// <summary>Both lists' names once; on a name in both, <paramref name="first"/>'s display name.</summary>
    private static List<(string Project, string DisplayName)> Union(IReadOnlyList<(string Project, string DisplayName)> first, IReadOnlyList<(string Project, string DisplayName)> then)
    {
        var result = new List<(string, string)>(first.Count + then.Count);
        int i = 0, j = 0;
        while (i < first.Count && j < then.Count)
        {
            var order = string.CompareOrdinal(first[i].Project, then[j].Project);
            if (order <= 0)
            {
                result.Add(first[i++]);
                j += order == 0 ? 1 : 0;
            }
            else
            {
                result.Add(then[j++]);
            }
        }
        for (; i < first.Count; i++)
        {
            result.Add(first[i]);
        }
        for (; j < then.Count; j++)
        {
            result.Add(then[j]);
        }
        return result;
    }

    private static IReadOnlyList<(string Project, string DisplayName)> Sorted(IReadOnlyList<(string Project, string DisplayName)> stage)
    {
        for (var i = 1; i < stage.Count; i++)
        {
            if (string.CompareOrdinal(stage[i - 1].Project, stage[i].Project) >= 0)
            {
                // Not strictly ascending: sort, and keep the first of equal names (as the database's GROUP BY gives one).
                return stage.Select((p, at) => (p, at)).OrderBy(x => x.p.Project, StringComparer.Ordinal).ThenBy(x => x.at)
                    .DistinctBy(x => x.p.Project, StringComparer.Ordinal).Select(x => x.p).ToList();
            }
        }
        return stage;
    }
}
