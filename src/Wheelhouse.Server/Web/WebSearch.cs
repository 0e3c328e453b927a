using System.Text;
using System.Text.RegularExpressions;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Web.Models;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Web;

/// <summary>
/// The search page: the query as a project name and as words (<see cref="SearchQuery"/>), over every index or one
/// index's view, answered by the store's search index; the query's words highlighted in names and summaries.
/// </summary>
public sealed partial class WebSearch(PackageStore store, WebCatalog catalog)
{
    public const int MaxResults = 50;
    public const int MaxQueryLength = 200;
    private const int MaxWords = 10;

    public SearchPageModel Search(string text, IndexEntry? scope, WebLinks links)
    {
        var query = text.Trim();
        var scopeLink = scope is null ? null : links.Link(scope);
        if (query.Length == 0)
        {
            return new SearchPageModel("", scopeLink, links.Search("", null), [], false, null);
        }
        if (query.Length > MaxQueryLength)
        {
            return new SearchPageModel(query[..MaxQueryLength], scopeLink, links.Search("", null), [], false,
                $"the search is {query.Length} characters long; use at most {MaxQueryLength}");
        }
        var words = Words(query);
        var name = NameLike().IsMatch(query) ? ProjectName.Normalize(query) : "";
        var within = scope is null ? null : catalog.View(scope).Select(s => (s.User, s.Name)).ToList();
        IReadOnlyList<SearchHit> hits;
        using (var reader = store.Read())
        {
            hits = reader.Search(new SearchQuery(name, words, within, MaxResults + 1));
        }
        var rows = hits.Take(MaxResults).Select(h => new SearchPageModel.ResultRow(
            Highlight(h.DisplayName, words), links.Project(h.User, h.Index, h.Project), $"{h.User}/{h.Index}", links.Index(h.User, h.Index),
            h.Version, Highlight(h.Summary, words), h.Match switch
            {
                SearchMatch.Exact => "exact name",
                SearchMatch.Prefix => "name starts with it",
                _ => "text",
            })).ToList();
        return new SearchPageModel(query, scopeLink, links.Search(query, null), rows, hits.Count > MaxResults, null);
    }

    /// <summary>Lower-case words of letters and digits, at most ten.</summary>
    public static IReadOnlyList<string> Words(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct().Take(MaxWords).ToList();

    /// <summary><paramref name="text"/> escaped, with every word starting with one of <paramref name="words"/> in <c>mark</c>.</summary>
    public static HtmlString Highlight(string text, IReadOnlyList<string> words)
    {
        var html = new StringBuilder(text.Length + 32);
        var at = 0;
        foreach (Match m in Word().Matches(text))
        {
            if (!words.Any(w => m.Value.StartsWith(w, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            html.Append(System.Net.WebUtility.HtmlEncode(text[at..m.Index]))
                .Append("<mark>").Append(System.Net.WebUtility.HtmlEncode(m.Value)).Append("</mark>");
            at = m.Index + m.Length;
        }
        return new HtmlString(html.Append(System.Net.WebUtility.HtmlEncode(text[at..])).ToString());
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    private static partial Regex NameLike();
}
