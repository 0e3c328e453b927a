using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Wheelhouse.Server.Simple;

/// <summary>Renders the project list of an index: PEP 503 HTML or PEP 691 JSON (<c>projects: [{name}]</c>).</summary>
public static class SimpleProjectList
{
    private const string HtmlHead =
        "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n    <title>Simple index</title>\n  </head>\n  <body>\n";

    private const string HtmlTail = "  </body>\n</html>\n";

    /// <param name="projects">(normalized, display name) pairs, sorted.</param>
    /// <param name="hrefPrefix">prepended to each <c>name/</c> link, so the links work with and without the trailing slash.</param>
    /// <remarks>
    /// Encoded straight into one array of the exact size, counted first: a list of 100,000 projects is 5 MB, and
    /// building it as text first (a builder, its string, then the bytes) put 30 MB on the large object heap per render.
    /// </remarks>
    public static byte[] Html(IReadOnlyList<(string Project, string DisplayName)> projects, string hrefPrefix)
    {
        var utf8 = Encoding.UTF8;
        var encoded = new (string Href, string Text)[projects.Count];
        var length = utf8.GetByteCount(HtmlHead) + utf8.GetByteCount(HtmlTail);
        for (var i = 0; i < projects.Count; i++)
        {
            var (project, display) = projects[i];
            encoded[i] = (WebUtility.HtmlEncode(project), WebUtility.HtmlEncode(display)); // the same strings when nothing needs escaping
            length += LinkStart.Length + utf8.GetByteCount(hrefPrefix) + utf8.GetByteCount(encoded[i].Href) + LinkMiddle.Length
                + utf8.GetByteCount(encoded[i].Text) + LinkEnd.Length;
        }
        var page = new byte[length];
        var at = utf8.GetBytes(HtmlHead, page);
        foreach (var (href, text) in encoded)
        {
            at += Put(LinkStart, page, at);
            at += utf8.GetBytes(hrefPrefix, page.AsSpan(at));
            at += utf8.GetBytes(href, page.AsSpan(at));
            at += Put(LinkMiddle, page, at);
            at += utf8.GetBytes(text, page.AsSpan(at));
            at += Put(LinkEnd, page, at);
        }
        at += utf8.GetBytes(HtmlTail, page.AsSpan(at));
        return at == length ? page : throw new InvalidOperationException($"project list counted {length} bytes but wrote {at}");
    }

    private static ReadOnlySpan<byte> LinkStart => "    <a href=\""u8;

    private static ReadOnlySpan<byte> LinkMiddle => "/\">"u8;

    private static ReadOnlySpan<byte> LinkEnd => "</a><br>\n"u8;

    private static int Put(ReadOnlySpan<byte> bytes, byte[] page, int at)
    {
        bytes.CopyTo(page.AsSpan(at));
        return bytes.Length;
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
