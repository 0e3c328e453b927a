using System.Text.Json.Nodes;

namespace Wheelhouse.Server.Web.Models;

/// <summary>
/// The core metadata a version page shows, read from a release's verdata, and its PEP 592 mark (null: not yanked). Values are text to escape; only http(s) URLs
/// become links (<see cref="Link.Url"/> is null for anything else, so <c>javascript:</c> is shown as text).
/// </summary>
public sealed record ReleaseMetadata(
    string Summary, IReadOnlyList<string> Authors, IReadOnlyList<string> Maintainers, string License, string RequiresPython,
    IReadOnlyList<string> Dependencies, IReadOnlyList<string> Classifiers, IReadOnlyList<ReleaseMetadata.Link> ProjectUrls,
    string Keywords, string Description, string DescriptionContentType, string? Yanked = null)
{
    public sealed record Link(string Label, string Text, string? Url);

    public static ReleaseMetadata From(string metadataJson)
    {
        var data = (Parse(metadataJson) as JsonObject) ?? [];
        var urls = new List<Link>();
        if (Scalar(data, "home_page") is { Length: > 0 } home)
        {
            urls.Add(LinkTo("Homepage", home));
        }
        foreach (var entry in List(data, "project_urls"))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            urls.Add(comma < 0 ? LinkTo("", entry.Trim()) : LinkTo(entry[..comma].Trim(), entry[(comma + 1)..].Trim()));
        }
        if (Scalar(data, "download_url") is { Length: > 0 } download)
        {
            urls.Add(LinkTo("Download", download));
        }
        return new ReleaseMetadata(
            Scalar(data, "summary"), People(data, "author"), People(data, "maintainer"),
            Scalar(data, "license_expression") is { Length: > 0 } expression ? expression : Scalar(data, "license"),
            Scalar(data, "requires_python"), List(data, "requires_dist"), List(data, "classifiers"), urls,
            Scalar(data, "keywords"), Scalar(data, "description"), Scalar(data, "description_content_type"), Core.Packages.Yanked.Read(data));
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a damaged row shows an empty page rather than none
        }
    }

    /// <summary>A link only for an absolute http(s) URL; anything else stays text.</summary>
    private static Link LinkTo(string label, string value) =>
        new(label, value, Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null);

    private static List<string> People(JsonObject data, string key)
    {
        var names = Scalar(data, key);
        var emails = Scalar(data, key + "_email");
        return new[] { names, emails }.Where(s => s.Length > 0).ToList();
    }

    private static string Scalar(JsonObject data, string key) => data[key] switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonArray list => string.Join(", ", list.Select(n => n?.ToString() ?? "")),
        _ => "",
    };

    private static List<string> List(JsonObject data, string key) => data[key] switch
    {
        JsonArray list => list.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "").Where(s => s.Length > 0).ToList(),
        JsonValue value when value.TryGetValue<string>(out var s) && s.Length > 0 => [s],
        _ => [],
    };
}
