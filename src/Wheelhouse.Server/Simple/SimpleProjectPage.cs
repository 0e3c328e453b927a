using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Wheelhouse.Server.Simple;

/// <summary>
/// Renders a project page: PEP 503 HTML (with PEP 658/714 metadata attributes and PEP 592 yanked) and PEP 691 JSON
/// (with PEP 700 versions, size, upload-time). Links are relative to the page; <c>toRoot</c> is the <c>../</c> prefix
/// that leads from the requested page back to the server root.
/// </summary>
public static class SimpleProjectPage
{
    /// <param name="notice">Shown above the links (a mirror blocked by dependency-confusion protection).</param>
    public static byte[] Html(string name, IReadOnlyList<SimpleFile> files, string toRoot, string? notice = null)
    {
        var sb = new StringBuilder(256 + files.Count * 300);
        var title = WebUtility.HtmlEncode(name);
        sb.Append("<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n    <title>Links for ")
            .Append(title).Append("</title>\n  </head>\n  <body>\n    <h1>Links for ").Append(title).Append("</h1>\n");
        if (notice is not null)
        {
            sb.Append("    <p class=\"notice\">").Append(WebUtility.HtmlEncode(notice)).Append("</p>\n");
        }
        foreach (var f in files)
        {
            sb.Append("    <a href=\"").Append(WebUtility.HtmlEncode(toRoot + f.RootRelativeUrl)).Append("#sha256=").Append(f.Sha256).Append('"');
            if (f.RequiresPython.Length > 0)
            {
                sb.Append(" data-requires-python=\"").Append(WebUtility.HtmlEncode(f.RequiresPython)).Append('"');
            }
            if (f.MetadataSha256 is not null)
            {
                sb.Append(" data-dist-info-metadata=\"sha256=").Append(f.MetadataSha256)
                    .Append("\" data-core-metadata=\"sha256=").Append(f.MetadataSha256).Append('"');
            }
            if (f.Yanked is { } reason)
            {
                sb.Append(" data-yanked=\"").Append(WebUtility.HtmlEncode(reason)).Append('"');
            }
            sb.Append('>').Append(WebUtility.HtmlEncode(f.FileName)).Append("</a><br>\n");
        }
        sb.Append("  </body>\n</html>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static byte[] Json(string name, IReadOnlyList<SimpleFile> files, IReadOnlyList<string> versions, string toRoot)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + files.Count * 400);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("meta");
            w.WriteString("api-version", "1.1");
            w.WriteEndObject();
            w.WriteString("name", name);
            w.WriteStartArray("files");
            foreach (var f in files)
            {
                w.WriteStartObject();
                w.WriteString("filename", f.FileName);
                w.WriteString("url", toRoot + f.RootRelativeUrl);
                w.WriteStartObject("hashes");
                w.WriteString("sha256", f.Sha256);
                w.WriteEndObject();
                if (f.RequiresPython.Length > 0)
                {
                    w.WriteString("requires-python", f.RequiresPython);
                }
                // PEP 714: only "core-metadata" in JSON; pip 23.0 crashes on a dict-valued "dist-info-metadata".
                if (f.MetadataSha256 is not null)
                {
                    w.WriteStartObject("core-metadata");
                    w.WriteString("sha256", f.MetadataSha256);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteBoolean("core-metadata", false);
                }
                if (f.Size is { } size)
                {
                    w.WriteNumber("size", size);
                }
                if (f.Uploaded is { } uploaded)
                {
                    w.WriteString("upload-time", uploaded.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
                }
                // PEP 691: a reason, or true when the upstream gave none.
                if (f.Yanked is { Length: > 0 } reason)
                {
                    w.WriteString("yanked", reason);
                }
                else if (f.Yanked is not null)
                {
                    w.WriteBoolean("yanked", true);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("versions");
            foreach (var v in versions)
            {
                w.WriteStringValue(v);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
