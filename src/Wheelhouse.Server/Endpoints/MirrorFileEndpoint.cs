using Wheelhouse.Core.Distributions;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// A mirror file not stored yet (issue 4, "Mirror indexes"): found on the mirror's project page, fetched once, streamed
/// to the client while stored, checked against the upstream hash. Later requests are served from the store.
/// </summary>
public static class MirrorFileEndpoint
{
    /// <returns>False when the caller should serve the stored file (another request fetched it meanwhile).</returns>
    public static async Task<bool> FetchAsync(HttpContext c, IndexEntry mirror, string prefix, string filename,
        PackageStore store, MirrorPageService pages, MirrorFileFetcher fetcher, TimeProvider time)
    {
        if (!DistributionFileName.TryParse(filename, out var dist, out _))
        {
            await ApiResponse.Error(c, 404, $"no file {filename} in {mirror.Path}");
            return true;
        }
        if (!MirrorUrl.TryParse(mirror.Config.MirrorUrl, out var url, out var urlError))
        {
            await ApiResponse.Error(c, 502, MirrorPageService.MirrorUrlUnusable(mirror.IndexPath, urlError));
            return true;
        }
        var (link, answer) = await pages.FindLinkAsync(mirror.IndexPath, mirror.Config, dist.Project, filename, c.RequestAborted);
        if (link is null || link.Sha256 is not { } sha || !sha.StartsWith(prefix, StringComparison.Ordinal))
        {
            await (answer is MirrorPageAnswer.Unavailable u
                ? ApiResponse.Error(c, 502, $"{filename} was never fetched from {mirror.Path}: {u.Message}")
                : ApiResponse.Error(c, 404, $"no file {filename} in {mirror.Path}"));
            return true;
        }
        var sink = new BlobMirrorFileSink(store, mirror, dist.Project.Normalized, dist.Version.Normalized, time);
        c.Response.ContentType = "application/octet-stream";
        c.Response.Headers.ContentDisposition = $"attachment; filename=\"{filename}\"";
        var result = await fetcher.FetchAsync(url, link, sink, HttpMethods.IsHead(c.Request.Method) ? null : c.Response.Body, c.RequestAborted);
        switch (result)
        {
            case UpstreamResult<MirrorFileReceipt>.Success { Value.StreamedToCaller: false }:
                c.Response.Headers.Remove("Content-Disposition");
                return false;
            case UpstreamResult<MirrorFileReceipt>.Success:
                return true;
            case UpstreamResult<MirrorFileReceipt>.Failed { Failure: var failure } when !c.Response.HasStarted:
                await ApiResponse.Error(c, 502, MirrorCachePolicy.FileUnavailable(mirror.Path, filename, failure));
                return true;
            case UpstreamResult<MirrorFileReceipt>.NotFound when !c.Response.HasStarted:
                await ApiResponse.Error(c, 502, $"{filename}: the upstream of {mirror.Path} no longer has it (404)");
                return true;
            default:
                // Bytes already went out: a truncated download the client's own hash check rejects.
                c.Abort();
                return true;
        }
    }
}
