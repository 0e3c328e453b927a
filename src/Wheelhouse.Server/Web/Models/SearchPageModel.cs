namespace Wheelhouse.Server.Web.Models;

/// <summary>Search results: exact name, then name prefix, then text matches, the query's words highlighted.</summary>
public sealed record SearchPageModel(string Query, IndexLink? Scope, string EverywhereUrl, IReadOnlyList<SearchPageModel.ResultRow> Results, bool More, string? Problem)
{
    public sealed record ResultRow(HtmlString Name, string Url, string IndexPath, string IndexUrl, string Version, HtmlString Summary, string Match);
}
