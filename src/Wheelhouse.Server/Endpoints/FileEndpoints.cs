using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>/{u}/{i}/+f/{h3}/{h13}/{filename}</c>: release files with immutable cache headers, HEAD and Range, and PEP 658
/// core metadata at <c>{filename}.metadata</c>. A file is served only through its row, so an unreferenced blob never is.
/// Behind nginx these URLs are answered from the served tree; the server answers when a name is missing there (and
/// relinks it), for JSON and for methods other than GET and HEAD.
/// </summary>
public static class FileEndpoints
{
    private const string Route = "/{user}/{index}/+f/{h3}/{h13}/{filename}";
    private const string CacheControl = "max-age=365000000, immutable, public";

    public static void Map(WebApplication app)
    {
        app.MapMethods(Route, ["GET", "HEAD"], Get);
        app.MapDelete(Route, Delete);
    }

    private static async Task Get(HttpContext c, string user, string index, string h3, string h13, string filename,
        PackageStore store, UserDirectory directory, MirrorPageService pages, MirrorFileFetcher fetcher, TimeProvider time)
    {
        var prefix = h3 + h13;
        if (directory.FindIndex(user, index) is { IsMirror: true } mirror && prefix.Length == 16 && !filename.EndsWith(".metadata", StringComparison.Ordinal)
            && !c.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            bool stored;
            using (var check = store.Read())
            {
                stored = check.File(user, index, filename) is not null;
            }
            // No connection is held open during a download that may take minutes.
            if (!stored && await MirrorFileEndpoint.FetchAsync(c, mirror, prefix, filename, store, pages, fetcher, time))
            {
                return;
            }
        }
        FileRecord? file;
        byte[]? metadata = null;
        using (var reader = store.Read())
        {
            file = reader.File(user, index, filename);
            if (file is null && filename.EndsWith(".metadata", StringComparison.Ordinal))
            {
                file = reader.File(user, index, filename[..^".metadata".Length]);
                metadata = file?.MetadataSha256 is { } m ? reader.CoreMetadata(m) : null;
                if (metadata is null)
                {
                    file = null;
                }
            }
        }
        if (file is null || prefix.Length != 16 || !file.Sha256.StartsWith(prefix, StringComparison.Ordinal))
        {
            await ApiResponse.Error(c, 404, $"no file {filename} in {user}/{index}");
            return;
        }
        // nginx asked the server because the name was missing from the served tree: the next request finds it there.
        await store.RelinkIfMissingAsync(file, c.RequestAborted);
        var headers = c.Response.Headers;
        headers.CacheControl = CacheControl;
        headers.Vary = "Accept"; // the same URL is the file or, for a JSON request, devpi's view of it
        if (metadata is not null)
        {
            headers.LastModified = file.Uploaded.ToString("R", CultureInfo.InvariantCulture);
            c.Response.ContentType = "text/plain; charset=utf-8";
            c.Response.ContentLength = metadata.Length;
            if (!HttpMethods.IsHead(c.Request.Method))
            {
                await c.Response.Body.WriteAsync(metadata);
            }
            return;
        }
        if (c.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await ApiResponse.WriteJson(c, 200, new JsonObject
            {
                ["hash_spec"] = "sha256=" + file.Sha256,
                ["hashes"] = new JsonObject { ["sha256"] = file.Sha256 },
                ["last_modified"] = file.Uploaded.ToString("R", CultureInfo.InvariantCulture),
                ["project"] = file.Project,
                ["version"] = file.Version,
            });
            return;
        }
        if (store.ContentPath(file) is not { } path)
        {
            await ApiResponse.Error(c, 500, $"file {filename} is registered but its content is missing from the store");
            return;
        }
        // Plain filename= only: pip's parser mistakes RFC 5987 filename*= for part of the name. Stored names are ASCII.
        headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = "\"" + filename + "\"" }.ToString();
        await Results.File(path, ContentType(filename), lastModified: file.Uploaded,
            entityTag: new EntityTagHeaderValue("\"" + file.Sha256 + "\""), enableRangeProcessing: true).ExecuteAsync(c);
    }

    private static async Task Delete(HttpContext c, string user, string index, string h3, string h13, string filename,
        UserDirectory directory, Authenticator auth, PackageStore store)
    {
        if (await Missing.IndexAnsweredAsync(c, directory, user, index) is not { } entry)
        {
            return;
        }
        var identity = auth.Identify(c.Request);
        if (await Denied.AnsweredAsync(c, Authorization.Check(identity.Principal, new Permission.DeleteReleaseFiles(entry.IndexPath, entry.Config, c.Request.Query.ContainsKey("force")))))
        {
            return;
        }
        using var work = await store.BeginAsync(c.RequestAborted);
        var file = work.Rows.File(user, index, filename);
        if (file is null || !file.Sha256.StartsWith(h3 + h13, StringComparison.Ordinal))
        {
            await ApiResponse.Error(c, 404, $"no file {filename} in {entry.Path}");
            return;
        }
        work.RemoveFile(file);
        DevpiHeaders.StampSerial(c, work.Commit());
        await ApiResponse.Message(c, 200, $"deleted {filename} from {entry.Path}");
    }

    /// <summary>A real media type per distribution format (spec: "a real Content-Type").</summary>
    public static string ContentType(string fileName) =>
        fileName.EndsWith(".whl", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? "application/zip"
        : fileName.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? "application/gzip"
        : fileName.EndsWith(".tar.bz2", StringComparison.OrdinalIgnoreCase) ? "application/x-bzip2"
        : "application/octet-stream";
}
