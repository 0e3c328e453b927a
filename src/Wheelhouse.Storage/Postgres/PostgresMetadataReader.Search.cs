using System.Globalization;
using System.Text;

namespace Wheelhouse.Storage.Postgres;

/// <summary>
/// <see cref="IMetadataReader.Search"/> over <c>search_docs</c> (migration 2): names by equality and range on the "C"
/// collation, text by the tsvector <c>document</c> ranked with <c>ts_rank</c> on the weights SQLite gives bm25.
/// </summary>
internal partial class PostgresMetadataReader
{
    private const string HitColumns = "SELECT d.id, d.username, d.idx, d.project, d.name, d.version, d.summary FROM search_docs d";

    /// <summary>Name, summary, keywords, description: D, C, B, A weights for ts_rank, as SQLite's bm25 weights 10, 5, 3, 1.</summary>
    private const string Weights = "'{0.1, 0.3, 0.5, 1.0}'";

    public IReadOnlyList<SearchHit> Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var match = TsQuery(query.Words);
        var args = new List<(string, object?)> { ("name", query.Name), ("after", query.Name + "~"), ("match", match) };
        var scope = Scope(query.Within, args);
        return SearchTiers.Run(query, match.Length > 0, (kind, fetch) => Query(
            kind switch
            {
                // '~' sorts after every character of a normalized name
                SearchMatch.Exact => $"{HitColumns} WHERE d.project = @name{scope} ORDER BY d.username, d.idx LIMIT @fetch;",
                SearchMatch.Prefix => $"{HitColumns} WHERE d.project > @name AND d.project < @after{scope} ORDER BY d.project, d.username, d.idx LIMIT @fetch;",
                _ => $"{HitColumns} WHERE d.document @@ to_tsquery('simple', @match){scope} "
                + $"ORDER BY ts_rank({Weights}, d.document, to_tsquery('simple', @match)) DESC, d.project LIMIT @fetch;",
            },
            r => (r.GetInt64(0), new SearchHit(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), kind)),
            [.. args, ("fetch", fetch)]));
    }

    /// <summary>" AND (d.username, d.idx) IN (VALUES ...)" for a scoped search, with its parameters added to <paramref name="args"/>.</summary>
    private static string Scope(IReadOnlyList<(string User, string Index)>? within, List<(string, object?)> args)
    {
        if (within is null)
        {
            return "";
        }
        var sql = new StringBuilder(" AND (d.username, d.idx) IN (VALUES ");
        for (var i = 0; i < within.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@u{i}::text, @i{i}::text)");
            args.Add(($"u{i}", within[i].User));
            args.Add(($"i{i}", within[i].Index));
        }
        return sql.Append(')').ToString();
    }

    /// <summary>
    /// A tsquery requiring every word, the last also as a prefix: each word a quoted lexeme, so nothing in it is
    /// tsquery syntax.
    /// </summary>
    internal static string TsQuery(IReadOnlyList<string> words)
    {
        var parts = words.Where(w => w.Length > 0).Select(w => "'" + w.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'").ToList();
        if (parts.Count == 0)
        {
            return "";
        }
        parts[^1] += ":*";
        return string.Join(" & ", parts);
    }
}
