namespace Wheelhouse.Storage;

/// <summary>
/// The order and limits of <see cref="IMetadataReader.Search"/>, once for every store: exact name, then name prefix,
/// then text matches; each project of an index once (by the store's row id), at most <see cref="SearchQuery.Limit"/>
/// hits. A store supplies only the query of each tier.
/// </summary>
internal static class SearchTiers
{
    /// <summary>The rows of one tier, best first, at most <paramref name="fetch"/> of them, as (row id, hit).</summary>
    public delegate IEnumerable<(long Id, SearchHit Hit)> Tier(SearchMatch kind, int fetch);

    /// <param name="hasText">Whether the query has words for the text tier.</param>
    public static IReadOnlyList<SearchHit> Run(SearchQuery query, bool hasText, Tier tier)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0 || query.Within is { Count: 0 })
        {
            return [];
        }
        var seen = new HashSet<long>();
        var hits = new List<SearchHit>();
        void Take(SearchMatch kind, int fetch)
        {
            foreach (var (id, hit) in tier(kind, fetch))
            {
                if (hits.Count >= query.Limit)
                {
                    return;
                }
                if (seen.Add(id))
                {
                    hits.Add(hit);
                }
            }
        }
        if (query.Name.Length > 0)
        {
            Take(SearchMatch.Exact, query.Limit);
            Take(SearchMatch.Prefix, query.Limit);
        }
        if (hasText && hits.Count < query.Limit)
        {
            Take(SearchMatch.Text, query.Limit + seen.Count); // the exact and prefix hits come again and are skipped
        }
        return hits;
    }
}
