using System.IO.Compression;
using System.Text;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>
/// Hostile metadata and documentation. Every payload, if it ever ran (or loaded anything), would call the canary at
/// <c>{canary}/{name}</c>; a test proves nothing ran by finding no such call. The same HTML served without protection
/// does call it (the tests' control), so the hook itself is shown to work.
/// </summary>
public static class XssCorpus
{
    public static string Call(string canary, string name) => $"fetch('{canary}/{name}')";

    /// <summary>A Markdown README with raw HTML, script, event handlers, <c>javascript:</c> and <c>data:</c> links and SVG.</summary>
    public static string Readme(string canary) => $"""
        # Hostile README

        Plain text that must still be shown: **hostile-readme-marker**.

        <script>{Call(canary, "readme-script")}</script>

        <img src="x" onerror="{Call(canary, "readme-img-onerror")}">

        [a javascript link](javascript:{Call(canary, "readme-md-js-link")})

        <a id="readme-raw-js-link" href="javascript:{Call(canary, "readme-raw-js-link")}">a raw javascript link</a>

        <a id="readme-data-link" href="data:text/html;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes($"<script>{Call(canary, "readme-data-link")}</script>"))}">a data link</a>

        <svg xmlns="http://www.w3.org/2000/svg" onload="{Call(canary, "readme-svg-onload")}"><circle r="5"/></svg>

        <iframe src="javascript:{Call(canary, "readme-iframe")}"></iframe>

        <details open ontoggle="{Call(canary, "readme-ontoggle")}"><summary>details</summary></details>

        <style>@import url('{canary}/readme-style-import');</style>

        <math><mtext><table><mglyph><style><img src=x onerror="{Call(canary, "readme-mxss")}">

        """;

    /// <summary>METADATA (core metadata 2.1) whose every free-text field is hostile.</summary>
    public static string Metadata(string canary, string name, string version) => string.Join("\n",
        "Metadata-Version: 2.1",
        $"Name: {name}",
        $"Version: {version}",
        $"Summary: <script>{Call(canary, "summary")}</script> hostile summary",
        $"Author: \"><img src=x onerror=\"{Call(canary, "author")}\">",
        $"Author-email: evil <\"><svg onload={Call(canary, "author-email")}>@example.com>",
        $"License: </title><script>{Call(canary, "license")}</script>",
        $"Keywords: <img src=x onerror={Call(canary, "keywords")}>",
        $"Home-page: javascript:{Call(canary, "home-page")}",
        $"Project-URL: Homepage, javascript:{Call(canary, "project-url-js")}",
        $"Project-URL: Docs\" onmouseover=\"{Call(canary, "project-url-label")}, https://example.com/\" onclick=\"{Call(canary, "project-url-attr")}",
        $"Project-URL: <script>{Call(canary, "project-url-name")}</script>, data:text/html,<script>{Call(canary, "project-url-data")}</script>",
        "Classifier: Programming Language :: Python :: 3",
        $"Classifier: <script>{Call(canary, "classifier")}</script>",
        "Requires-Python: >=3.8",
        $"Requires-Dist: evil; extra == '<script>{Call(canary, "requires-dist")}</script>'",
        "Description-Content-Type: text/markdown",
        "",
        Readme(canary));

    public static byte[] Wheel(string canary, string name, string version)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var stem = $"{name.Replace('-', '_')}-{version}";
            Add(zip, $"{name.Replace('-', '_')}/__init__.py", "VALUE = 1\n");
            Add(zip, $"{stem}.dist-info/METADATA", Metadata(canary, name, version));
            Add(zip, $"{stem}.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
            Add(zip, $"{stem}.dist-info/RECORD", "");
        }
        return buffer.ToArray();
    }

    /// <summary>A documentation start page that tries everything an uploaded page could.</summary>
    public static string DocumentationPage(string canary) => $"""
        <!DOCTYPE html>
        <html><head>
        <meta http-equiv="refresh" content="3;url=javascript:{Call(canary, "doc-meta-refresh")}">
        <script>{Call(canary, "doc-script")}</script>
        <script src="{canary}/doc-script-src.js"></script>
        <link rel="stylesheet" href="{canary}/doc-stylesheet.css">
        </head><body>
        <h1 id="doc-title">Hostile documentation</h1>
        <img src="x" onerror="{Call(canary, "doc-img-onerror")}">
        <svg xmlns="http://www.w3.org/2000/svg" onload="{Call(canary, "doc-svg-onload")}"></svg>
        <a id="doc-js-link" href="javascript:{Call(canary, "doc-js-link")}">a javascript link</a>
        <iframe src="javascript:{Call(canary, "doc-iframe")}"></iframe>
        <object data="{canary}/doc-object"></object>
        <img src="{canary}/doc-remote-image">
        <script>{Call(canary, "doc-cookie")} + document.cookie</script>
        <form action="{canary}/doc-form" method="post"><button id="doc-form-button">send</button></form>
        </body></html>
        """;

    public static byte[] DocumentationZip(string canary) => DocZips.Zip(
        ("index.html", DocumentationPage(canary)),
        ("evil.svg", $"""<svg xmlns="http://www.w3.org/2000/svg" onload="{Call(canary, "doc-svg-file")}"><script>{Call(canary, "doc-svg-script")}</script></svg>"""),
        ("evil.txt", $"<html><script>{Call(canary, "doc-sniffed-text")}</script></html>"));

    private static void Add(ZipArchive zip, string path, string text)
    {
        var entry = zip.CreateEntry(path);
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
