using System.Net;
using System.Text.RegularExpressions;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// Reads PEP 503 HTML pages the way pip does: every <c>&lt;a href&gt;</c> is a file (or, on the root page, a project),
/// attributes are HTML-unescaped, hrefs are resolved against the page URL (or a <c>&lt;base href&gt;</c>) and a
/// <c>#hashname=hex</c> fragment becomes the link's hash. Tolerant of sloppy markup, strict about what it returns.
/// </summary>
public static partial class SimpleHtmlParser
{
    /// <summary>The page, or a sentence saying why it is not a simple page.</summary>
    public static (UpstreamProjectPage? Page, string? Error) ParseProjectPage(string html, Uri pageUrl, string projectName)
    {
        if (!LooksLikeHtml(html))
        {
            return (null, "the answer is not an HTML page");
        }
        html = Comment().Replace(html, "");
        var baseUrl = BaseUrl(html, pageUrl);
        var links = new List<UpstreamLink>();
        foreach (var (attributes, text) in Anchors(html))
        {
            if (!attributes.TryGetValue("href", out var href) || !Uri.TryCreate(baseUrl, href, out var url) || url.Scheme is not ("http" or "https"))
            {
                continue;
            }
            var hashes = SimpleHashes.FromFragment(url.Fragment);
            url = new UriBuilder(url) { Fragment = "" }.Uri;
            // pip names a file after its URL's last segment, not the anchor text; so do we.
            var lastSegment = Uri.UnescapeDataString(url.Segments[^1]);
            var filename = lastSegment.Length > 0 && lastSegment != "/" ? lastSegment : text;
            if (!SimpleHashes.IsSafeFileName(filename))
            {
                continue;
            }
            attributes.TryGetValue("data-requires-python", out var requiresPython);
            attributes.TryGetValue("data-yanked", out var yanked);
            var metadata = attributes.TryGetValue("data-core-metadata", out var core) ? core
                : attributes.TryGetValue("data-dist-info-metadata", out var distInfo) ? distInfo : null;
            links.Add(new UpstreamLink(
                url, filename, hashes, string.IsNullOrWhiteSpace(requiresPython) ? null : requiresPython, yanked, MetadataHashes(metadata)));
        }
        return (new UpstreamProjectPage(projectName, links, []), null);
    }

    public static (UpstreamProjectList? List, string? Error) ParseProjectList(string html)
    {
        if (!LooksLikeHtml(html))
        {
            return (null, "the answer is not an HTML page");
        }
        var names = Anchors(Comment().Replace(html, "")).Select(a => a.Text).Where(t => t.Length > 0).ToList();
        return (new UpstreamProjectList(names), null);
    }

    private static IReadOnlyDictionary<string, string>? MetadataHashes(string? value) => value switch
    {
        null or "false" => null,
        "true" or "" => new Dictionary<string, string>(),
        _ => SimpleHashes.FromFragment("#" + value),
    };

    private static bool LooksLikeHtml(string text) =>
        text.Contains('<', StringComparison.Ordinal) && !text.Contains('\0', StringComparison.Ordinal)
        && (TagStart().IsMatch(text));

    private static Uri BaseUrl(string html, Uri pageUrl)
    {
        var match = BaseTag().Match(html);
        return match.Success && Uri.TryCreate(pageUrl, WebUtility.HtmlDecode(Attributes(match.Groups[1].Value).GetValueOrDefault("href") ?? ""), out var b)
            ? b
            : pageUrl;
    }

    private static IEnumerable<(Dictionary<string, string> Attributes, string Text)> Anchors(string html)
    {
        foreach (Match match in Anchor().Matches(html))
        {
            var text = WebUtility.HtmlDecode(InnerTags().Replace(match.Groups[2].Value, "")).Trim();
            yield return (Attributes(match.Groups[1].Value), text);
        }
    }

    private static Dictionary<string, string> Attributes(string text)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in Attribute().Matches(text))
        {
            var value = match.Groups[2].Success ? match.Groups[2].Value
                : match.Groups[3].Success ? match.Groups[3].Value
                : match.Groups[4].Success ? match.Groups[4].Value : "";
            attributes.TryAdd(match.Groups[1].Value, WebUtility.HtmlDecode(value));
        }
        return attributes;
    }

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"<(!doctype\s+html|html|head|body|a\s|meta|title)", RegexOptions.IgnoreCase)]
    private static partial Regex TagStart();

    [GeneratedRegex(@"<a\b([^>]*)>(.*?)</a\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Anchor();

    [GeneratedRegex(@"<base\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex BaseTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex InnerTags();

    [GeneratedRegex(@"([^\s=/>""']+)(?:\s*=\s*(?:""([^""]*)""|'([^']*)'|([^\s>""']+)))?")]
    private static partial Regex Attribute();
}
