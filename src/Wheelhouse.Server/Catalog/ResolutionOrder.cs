namespace Wheelhouse.Server.Catalog;

/// <summary>
/// devpi's resolution order over the indexes the directory knows: the index itself, then its bases breadth-first in
/// list order, each index once, mirrors last. Unknown bases are skipped (they can only appear after a deletion).
/// </summary>
public static class ResolutionOrder
{
    public static IReadOnlyList<IndexEntry> Of(IndexEntry start, UserDirectory directory)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start.Path };
        var stages = new List<IndexEntry>();
        var mirrors = new List<IndexEntry>();
        var queue = new Queue<IndexEntry>();
        queue.Enqueue(start);
        while (queue.TryDequeue(out var index))
        {
            (index.IsMirror ? mirrors : stages).Add(index);
            foreach (var basePath in index.Bases)
            {
                var slash = basePath.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || !seen.Add(basePath) || directory.FindIndex(basePath[..slash], basePath[(slash + 1)..]) is not { } b)
                {
                    continue;
                }
                queue.Enqueue(b);
            }
        }
        stages.AddRange(mirrors);
        return stages;
    }
}
