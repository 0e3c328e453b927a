using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;

namespace Wheelhouse.Server.Web;

/// <summary>
/// A release's long description as HTML that cannot run script: Markdown (<c>text/markdown</c>) through Markdig
/// (CommonMark, raw HTML off) and then HtmlSanitizer (only http, https and mailto URLs; no style, id or event
/// attributes); reStructuredText (the default when no content type is given, as on PyPI) and plain text shown as
/// preformatted text. Rendered once per distinct description and kept.
/// </summary>
public sealed class DescriptionRenderer
{
    private const int Capacity = 5_000;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml().UsePipeTables().UseAutoLinks().UseTaskLists().UseEmphasisExtras().Build();

    private readonly ConcurrentDictionary<string, HtmlString> _rendered = new(StringComparer.Ordinal);
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public HtmlString Render(string description, string contentType)
    {
        if (description.Length == 0)
        {
            return HtmlString.Empty;
        }
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(contentType + "\0" + description)));
        if (_rendered.TryGetValue(key, out var known))
        {
            return known;
        }
        var html = new HtmlString(IsMarkdown(contentType)
            ? _sanitizer.Sanitize(MarkdownToHtml(description))
            : $"<pre class=\"description-text\">{WebUtility.HtmlEncode(description)}</pre>");
        if (_rendered.Count >= Capacity)
        {
            _rendered.Clear();
        }
        _rendered[key] = html;
        return html;
    }

    /// <summary>CommonMark to HTML with the description's headings moved two levels down: the page's own h1 and h2 stay above them.</summary>
    private static string MarkdownToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(6, heading.Level + 2);
        }
        return document.ToHtml(Pipeline);
    }

    private static bool IsMarkdown(string contentType) =>
        contentType.Split(';')[0].Trim().Equals("text/markdown", StringComparison.OrdinalIgnoreCase);

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        // ids and names could clobber the page's own elements; styles could overlay it.
        sanitizer.AllowedAttributes.ExceptWith(["style", "id", "name", "class"]);
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "textarea", "style"]);
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
            }
        };
        return sanitizer;
    }
}
