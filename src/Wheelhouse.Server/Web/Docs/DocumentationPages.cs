using System.IO.Compression;
using Microsoft.AspNetCore.StaticFiles;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Web.Docs;

/// <summary>
/// Documentation uploaded with a release (<c>doc_upload</c>), served from its zip as devpi-web does:
/// <c>/{user}/{index}/{project}/{version}/+doc/{path}</c> (<c>latest</c> and <c>stable</c> as versions), a directory's
/// <c>index.html</c> by default. Uploaded HTML is anyone's HTML, so it is served sandboxed (an opaque origin: it cannot
/// read this site's cookies or act as it) with no script at all, and never sniffed.
/// </summary>
public static class DocumentationPages
{
    /// <summary>
    /// <c>sandbox</c> without <c>allow-same-origin</c> or <c>allow-scripts</c>: the page gets a unique origin and runs
    /// nothing; it may load its own styles, images and fonts, links open normally.
    /// </summary>
    public const string ContentSecurityPolicy =
        "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation; default-src 'none'; "
        + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; media-src 'self'; "
        + "script-src 'none'; object-src 'none'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public readonly record struct DocRoute(string User, string Index, string Project, string Version);

    /// <summary>The documentation's start page of a version (what the version page links to).</summary>
    public static string UrlOf(string user, string index, string project, string version) =>
        $"/{Uri.EscapeDataString(user)}/{Uri.EscapeDataString(index)}/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(version)}/+doc/";

    public static void Map(WebApplication app)
    {
        app.MapMethods("/{user}/{index}/{project}/{version}/+doc/{**path}", ["GET", "HEAD"], ServeAsync);
    }

    private static async Task ServeAsync(HttpContext c, [AsParameters] DocRoute route, string? path, UsersAndIndexes known,
        DocumentationLookup lookup, ReleaseService releases)
    {
        if (string.IsNullOrEmpty(path) && !c.Request.Path.Value!.EndsWith('/'))
        {
            // Routing matches .../+doc as well as .../+doc/; relative links in the start page need the slash.
            RedirectToDirectory(c);
            return;
        }
        if (DocumentationPath.Normalize(path) is not { } name)
        {
            await Text(c, 400, $"'{path}' is not a path inside the documentation (no '..', '.', '\\' or empty segments); open {UrlOf(route.User, route.Index, route.Project, route.Version)}");
            return;
        }
        if (known.FindIndex(route.User, route.Index) is not { } index)
        {
            await Text(c, 404, $"index {route.User}/{route.Index} does not exist");
            return;
        }
        var found = lookup.Find(index, route.Project, route.Version);
        if (found is not Outcome<FileRecord>.Unchanged { Value: var zip })
        {
            await Text(c, 404, ((Outcome<FileRecord>.Refused)found).Refusal.Reason);
            return;
        }
        if (releases.ContentPath(zip) is not { } zipPath || !File.Exists(zipPath))
        {
            throw new InvalidOperationException($"the blob of {zip.FileName} ({zip.Sha256}) is missing from the store; run 'wheelhouse-server check'");
        }
        // The zip's content names every file in it: a new upload is a new tag.
        var etag = $"\"{zip.Sha256[..32]}\"";
        await using var stream = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read);
        var entry = Find(archive, name);
        if (entry is null)
        {
            if (!name.EndsWith('/') && Find(archive, name + "/" + DocumentationPath.DirectoryIndex) is not null)
            {
                RedirectToDirectory(c);
                return;
            }
            await Text(c, 404, $"{name} is not in the documentation of {zip.Project} {zip.Version}");
            return;
        }
        var response = c.Response;
        Sandbox(response);
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "public, max-age=60, must-revalidate";
        if (c.Request.Headers.IfNoneMatch.ToString().Contains(etag, StringComparison.Ordinal))
        {
            response.StatusCode = 304;
            return;
        }
        response.ContentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
        response.ContentLength = entry.Length;
        await using var content = entry.Open();
        await content.CopyToAsync(response.Body, c.RequestAborted);
    }

    /// <summary>Redirects <c>…/name</c> to <c>…/name/</c>, relative to the URL asked for, so a path prefix in front is kept.</summary>
    private static void RedirectToDirectory(HttpContext c)
    {
        var path = c.Request.Path.Value!;
        c.Response.Redirect(path[(path.LastIndexOf('/') + 1)..] + "/" + c.Request.QueryString);
    }

    private static ZipArchiveEntry? Find(ZipArchive archive, string name) =>
        archive.Entries.FirstOrDefault(e => !e.FullName.EndsWith('/') && DocumentationPath.OfEntry(e.FullName) == name);

    private static void Sandbox(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    private static Task Text(HttpContext c, int status, string message)
    {
        Sandbox(c.Response);
        c.Response.StatusCode = status;
        c.Response.ContentType = "text/plain; charset=utf-8";
        return c.Response.WriteAsync(message + "\n", c.RequestAborted);
    }
}
