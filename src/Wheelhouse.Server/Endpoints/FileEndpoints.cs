using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using Wheelhouse.Server.Application.Mirrors;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>/{u}/{i}/+f/{h3}/{h13}/{filename}</c>: release files with immutable cache headers, HEAD and Range, and PEP 658
/// core metadata at <c>{filename}.metadata</c>. Behind nginx these URLs are answered from the served tree; the server
/// answers when a name is missing there (and relinks it), for JSON and for methods other than GET and HEAD. A mirror's
/// file not stored yet is fetched from its upstream while it is sent.
/// </summary>
public static class FileEndpoints
{
    private const string Route = "/{user}/{index}/+f/{h3}/{h13}/{filename}";
    private const string CacheControl = "max-age=365000000, immutable, public";

    /// <summary>The route's values: whose index, the first 16 hex digits of the sha256 and the file name.</summary>
    public readonly record struct FileRoute(string User, string Index, string H3, string H13, string Filename)
    {
        public string ShaPrefix => H3 + H13;
    }

    public static void Map(WebApplication app)
    {
        app.MapMethods(Route, ["GET", "HEAD"], Get);
        app.MapDelete(Route, Delete);
        app.MapPost(Route, PostToxResult);
    }

    private static async Task Get(HttpContext c, [AsParameters] FileRoute route, ReleaseService releases, MirrorFileService mirrors)
    {
        var wantsJson = c.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
        // No connection is held open during a download that may take minutes.
        if (!wantsJson && mirrors.NeedsFetch(route.User, route.Index, route.ShaPrefix, route.Filename) is { } mirror)
        {
            c.Response.ContentType = "application/octet-stream";
            c.Response.Headers.ContentDisposition = $"attachment; filename=\"{route.Filename}\"";
            var body = HttpMethods.IsHead(c.Request.Method) ? null : c.Response.Body;
            switch (await mirrors.FetchAsync(mirror, route.ShaPrefix, route.Filename, body, c.RequestAborted, returnWhenSent: true))
            {
                case MirrorFileService.Fetch.Sent:
                    return;
                case MirrorFileService.Fetch.Failed failed when !c.Response.HasStarted:
                    await Answer.Refused(c, failed.Refusal);
                    return;
                case MirrorFileService.Fetch.Failed:
                    c.Abort(); // bytes already went out: a truncated download the client's own hash check rejects
                    return;
                default:
                    c.Response.Headers.Remove("Content-Disposition"); // stored meanwhile by another request: served below
                    break;
            }
        }
        var found = await releases.FindFileAsync(route.User, route.Index, route.ShaPrefix, route.Filename, c.RequestAborted);
        if (await Answer.ValueOrRefusedAsync(c, found) is not { } stored)
        {
            return;
        }
        await Send(c, route.Filename, stored, wantsJson, releases);
    }

    private static async Task Send(HttpContext c, string filename, ReleaseService.StoredFile stored, bool wantsJson, ReleaseService releases)
    {
        var file = stored.File;
        var headers = c.Response.Headers;
        headers.CacheControl = CacheControl;
        headers.Vary = "Accept"; // the same URL is the file or, for a JSON request, devpi's view of it
        if (stored.CoreMetadata is { } metadata)
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
        if (wantsJson)
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
        if (releases.ContentPath(file) is not { } path)
        {
            await ApiResponse.Error(c, 500, $"file {filename} is registered but its content is missing from the data directory: {ReleaseService.LostContentRemedy}");
            return;
        }
        // Plain filename= only: pip's parser mistakes RFC 5987 filename*= for part of the name. Stored names are ASCII.
        headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = "\"" + filename + "\"" }.ToString();
        await Results.File(path, ContentType(filename), lastModified: file.Uploaded,
            entityTag: new EntityTagHeaderValue("\"" + file.Sha256 + "\""), enableRangeProcessing: true).ExecuteAsync(c);
    }

    private static async Task Delete(HttpContext c, [AsParameters] FileRoute route, ReleaseService releases, Authenticator auth)
    {
        var who = auth.Identify(c.Request).Principal;
        var outcome = await releases.DeleteFileAsync(who, route.User, route.Index, route.ShaPrefix, route.Filename,
            force: c.Request.Query.ContainsKey("force"), c.RequestAborted);
        await Answer.With(c, outcome, message => ApiResponse.Message(c, 200, message));
    }

    /// <summary><c>devpi test</c>'s report of a test run against this release file (tox's JSON), stored beside it.</summary>
    private static async Task PostToxResult(HttpContext c, [AsParameters] FileRoute route, ToxResultUpload results, Authenticator auth)
    {
        var (body, tooLarge) = await JsonBody.ReadBytesAsync(c, ToxResultUpload.MaxBytes);
        if (tooLarge is not null)
        {
            await ApiResponse.Error(c, 413, $"{tooLarge}; a test result is tox's JSON report, at most {ToxResultUpload.MaxBytes >> 20} MiB");
            return;
        }
        var who = auth.Identify(c.Request).Principal;
        var outcome = await results.StoreAsync(who, route.User, route.Index, route.ShaPrefix, route.Filename, body, c.RequestAborted);
        await Answer.With(c, outcome, stored => ApiResponse.Ok(c, "toxresultpath", IndexViews.FileUrl(stored)));
    }

    /// <summary>A real media type per distribution format (spec: "a real Content-Type").</summary>
    public static string ContentType(string fileName) =>
        fileName.EndsWith(".whl", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? "application/zip"
        : fileName.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? "application/gzip"
        : fileName.EndsWith(".tar.bz2", StringComparison.OrdinalIgnoreCase) ? "application/x-bzip2"
        : "application/octet-stream";
}
