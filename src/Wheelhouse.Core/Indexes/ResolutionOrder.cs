using System.Collections;

namespace Wheelhouse.Core.Indexes;

/// <summary>
/// The one place index inheritance is walked: the queried index, then its bases breadth-first in list order, each
/// index once (so cycles and diamonds are harmless), and all mirror indexes last, in the order they were met.
/// Bases that no longer exist are skipped. Simple links take the first index that has a file name; versions are the union.
/// </summary>
public sealed class ResolutionOrder : IReadOnlyList<ResolvedIndex>
{
    private readonly IReadOnlyList<ResolvedIndex> _indexes;

    private ResolutionOrder(IReadOnlyList<ResolvedIndex> indexes) => _indexes = indexes;

    /// <summary>The queried index (the first element).</summary>
    public ResolvedIndex Start => _indexes[0];

    public int Count => _indexes.Count;

    public ResolvedIndex this[int index] => _indexes[index];

    /// <summary>Null when <paramref name="start"/> itself does not exist.</summary>
    public static ResolutionOrder? Compute(IndexPath start, Func<IndexPath, IndexConfig?> lookup)
    {
        var startConfig = lookup(start);
        if (startConfig is null)
        {
            return null;
        }
        var seen = new HashSet<IndexPath> { start };
        var queue = new Queue<ResolvedIndex>();
        queue.Enqueue(new ResolvedIndex(start, startConfig));
        var stages = new List<ResolvedIndex>();
        var mirrors = new List<ResolvedIndex>();
        while (queue.TryDequeue(out var index))
        {
            (index.IsMirror ? mirrors : stages).Add(index);
            foreach (var basePath in index.Config.Bases)
            {
                if (seen.Add(basePath) && lookup(basePath) is { } baseConfig)
                {
                    queue.Enqueue(new ResolvedIndex(basePath, baseConfig));
                }
            }
        }
        return new ResolutionOrder([.. stages, .. mirrors]);
    }

    public IEnumerable<IndexPath> Paths => _indexes.Select(i => i.Path);

    public IEnumerator<ResolvedIndex> GetEnumerator() => _indexes.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(" -> ", Paths);
}
