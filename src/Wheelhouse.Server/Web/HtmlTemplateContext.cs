using System.Net;
using Scriban;
using Scriban.Parsing;

namespace Wheelhouse.Server.Web;

/// <summary>
/// A Scriban context that HTML-escapes every value a template outputs (<c>{{ x }}</c>) unless it is an
/// <see cref="HtmlString"/>: escaping is the default, so a template cannot forget it.
/// </summary>
internal sealed class HtmlTemplateContext : TemplateContext
{
    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (textAsObject is HtmlString html)
        {
            Write(html.Value);
            return this;
        }
        var text = ObjectToString(textAsObject);
        if (!string.IsNullOrEmpty(text))
        {
            Write(WebUtility.HtmlEncode(text));
        }
        return this;
    }
}
