using System.Globalization;
using System.Text;

namespace Wheelhouse.Storage.Sqlite;

/// <summary>
/// <see cref="IMetadataReader.Search"/> over the search index of migration 3: <c>search_docs</c> (one row per project of
/// an index, looked up by name) and the FTS5 table <c>search_text</c> (name, summary, keywords, description) beside it.
/// </summary>
internal partial class SqliteMetadataReader
{
    private const string HitColumns = "SELECT d.id, d.user, d.idx, d.project, d.name, d.version, d.summary FROM search_docs d";

    public IReadOnlyList<SearchHit> Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var match = MatchExpression(query.Words);
        var args = new List<(string, object?)> { ("$name", query.Name), ("$after", query.Name + "~"), ("$match", match) };
        var scope = Scope(query.Within, args);
        return SearchTiers.Run(query, match.Length > 0, (kind, fetch) => Query(
            kind switch
            {
                // '~' sorts after every character of a normalized name
                SearchMatch.Exact => $"{HitColumns} WHERE d.project = $name{scope} ORDER BY d.user, d.idx LIMIT $fetch;",
                SearchMatch.Prefix => $"{HitColumns} WHERE d.project > $name AND d.project < $after{scope} ORDER BY d.project, d.user, d.idx LIMIT $fetch;",
                _ => $"{HitColumns} JOIN search_text t ON t.rowid = d.id WHERE search_text MATCH $match{scope} " +
                "ORDER BY bm25(search_text, 10.0, 5.0, 3.0, 1.0), d.project LIMIT $fetch;",
            },
            r => (r.GetInt64(0), new SearchHit(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), kind)),
            [.. args, ("$fetch", fetch)]));
    }

    /// <summary>" AND (d.user, d.idx) IN (VALUES ...)" for a scoped search, with its parameters added to <paramref name="args"/>.</summary>
    private static string Scope(IReadOnlyList<(string User, string Index)>? within, List<(string, object?)> args)
    {
        if (within is null)
        {
            return "";
        }
        var sql = new StringBuilder(" AND (d.user, d.idx) IN (VALUES ");
        for (var i = 0; i < within.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"($u{i}, $i{i})");
            args.Add(($"$u{i}", within[i].User));
            args.Add(($"$i{i}", within[i].Index));
        }
        return sql.Append(')').ToString();
    }

    /// <summary>
    /// An FTS5 query requiring every word, the last also as a prefix: each word quoted, so nothing in it is FTS5 syntax.
    /// </summary>
    internal static string MatchExpression(IReadOnlyList<string> words)
    {
        var parts = words.Where(w => w.Length > 0).Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"").ToList();
        if (parts.Count == 0)
        {
            return "";
        }
        parts[^1] += "*";
        return string.Join(' ', parts);
    }
}
