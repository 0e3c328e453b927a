using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Wheelhouse.Server.Simple;

/// <summary>Renders the project list of an index: PEP 503 HTML or PEP 691 JSON (<c>projects: [{name}]</c>).</summary>
public static class SimpleProjectList
{
    /// <param name="projects">(normalized, display name) pairs, sorted.</param>
    /// <param name="hrefPrefix">prepended to each <c>name/</c> link, so the links work with and without the trailing slash.</param>
    public static byte[] Html(IReadOnlyList<(string Project, string DisplayName)> projects, string hrefPrefix)
    {
        var sb = new StringBuilder(128 + projects.Count * 60);
        sb.Append("<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n    <title>Simple index</title>\n  </head>\n  <body>\n");
        foreach (var (project, display) in projects)
        {
            sb.Append("    <a href=\"").Append(hrefPrefix).Append(WebUtility.HtmlEncode(project)).Append("/\">")
                .Append(WebUtility.HtmlEncode(display)).Append("</a><br>\n");
        }
        sb.Append("  </body>\n</html>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static byte[] Json(IReadOnlyList<(string Project, string DisplayName)> projects)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + projects.Count * 40);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("meta");
            w.WriteString("api-version", "1.1");
            w.WriteEndObject();
            w.WriteStartArray("projects");
            foreach (var (_, display) in projects)
            {
                w.WriteStartObject();
                w.WriteString("name", display);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
