using Wheelhouse.Core.Distributions;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Mirrors;

/// <summary>
/// A mirror file not stored yet (issue 4, "Mirror indexes"): found on the mirror's project page, fetched once, streamed
/// to the caller while stored, checked against the upstream hash. Later requests are served from the store.
/// </summary>
public sealed class MirrorFileService(
    PackageStore store, UsersAndIndexes known, MirrorPageService pages, MirrorFileFetcher fetcher, MirrorFileCommits commits, TimeProvider time)
{
    /// <summary>What became of a fetch.</summary>
    public abstract record Fetch
    {
        private Fetch()
        {
        }

        /// <summary>Stored meanwhile (another request fetched it): serve the stored file.</summary>
        public sealed record Stored : Fetch;

        /// <summary>Streamed to the caller and stored.</summary>
        public sealed record Sent : Fetch;

        /// <summary>Not fetched; if bytes already went out, the caller's download is truncated and must be aborted.</summary>
        public sealed record Failed(Refusal Refusal) : Fetch;
    }

    /// <summary>
    /// The mirror index to fetch <paramref name="fileName"/> for, or null when the index is no mirror or already has it.
    /// A mirror is a cache: a stored file whose content has left the data directory (a disk cleaned by hand) is
    /// fetched again, and storing it puts the blob back for every index that holds the same content.
    /// </summary>
    public IndexEntry? NeedsFetch(string user, string index, string shaPrefix, string fileName)
    {
        if (known.FindIndex(user, index) is not { IsMirror: true } mirror || shaPrefix.Length != 16
            || fileName.EndsWith(Releases.ReleaseService.MetadataSuffix, StringComparison.Ordinal))
        {
            return null;
        }
        using var reader = store.Read();
        return reader.File(user, index, fileName) is not { } stored || store.ContentPath(stored) is null ? mirror : null;
    }

    /// <param name="destination">Where the bytes go while they are stored (null for HEAD).</param>
    /// <param name="returnWhenSent">Return once <paramref name="destination"/> has the hash-checked file, before it is stored (see <see cref="MirrorFileFetcher"/>).</param>
    public async Task<Fetch> FetchAsync(IndexEntry mirror, string shaPrefix, string fileName, Stream? destination, CancellationToken ct, bool returnWhenSent = false)
    {
        var fetch = await FetchFromUpstreamAsync(mirror, shaPrefix, fileName, destination, returnWhenSent, ct);
        return fetch is Fetch.Failed failed && ContentLost(mirror, fileName)
            ? new Fetch.Failed(new Refusal.Unavailable($"{fileName} is stored in {mirror.IndexPath} but its content is missing from the data directory, "
                + $"and fetching it again failed ({failed.Refusal.Reason}); {Releases.ReleaseService.LostContentRemedy}"))
            : fetch;
    }

    private bool ContentLost(IndexEntry mirror, string fileName)
    {
        using var reader = store.Read();
        return reader.File(mirror.User, mirror.Name, fileName) is { } stored && store.ContentPath(stored) is null;
    }

    private async Task<Fetch> FetchFromUpstreamAsync(IndexEntry mirror, string shaPrefix, string fileName, Stream? destination, bool returnWhenSent, CancellationToken ct)
    {
        if (!DistributionFileName.TryParse(fileName, out var dist, out _))
        {
            return NotFound(mirror, fileName);
        }
        if (!MirrorUrl.TryParse(mirror.Config.MirrorUrl, out var url, out var urlError))
        {
            return new Fetch.Failed(new Refusal.Unavailable(MirrorPageService.MirrorUrlUnusable(mirror.IndexPath, urlError)));
        }
        var (link, answer) = await pages.FindLinkAsync(mirror.IndexPath, mirror.Config, dist.Project, fileName, ct);
        if (link is null || link.Sha256 is not { } sha || !sha.StartsWith(shaPrefix, StringComparison.Ordinal))
        {
            return answer is MirrorPageAnswer.Unavailable u
                ? new Fetch.Failed(new Refusal.Unavailable($"{fileName} was never fetched from {mirror.IndexPath}: {u.Message}"))
                : NotFound(mirror, fileName);
        }
        var sink = new StoreMirrorFileSink(store, commits, mirror, dist.Project.Normalized, dist.Version.Normalized, time);
        return await fetcher.FetchAsync(url, link, sink, destination, ct, returnWhenSent) switch
        {
            UpstreamResult<MirrorFileReceipt>.Success { Value.StreamedToCaller: false } => new Fetch.Stored(),
            UpstreamResult<MirrorFileReceipt>.Success => new Fetch.Sent(),
            UpstreamResult<MirrorFileReceipt>.Failed { Failure: var failure } =>
                new Fetch.Failed(new Refusal.Unavailable(MirrorCachePolicy.FileUnavailable(mirror.IndexPath.ToString(), fileName, failure))),
            UpstreamResult<MirrorFileReceipt>.NotFound =>
                new Fetch.Failed(new Refusal.Unavailable($"{fileName}: the upstream of {mirror.IndexPath} no longer has it (404)")),
            _ => new Fetch.Failed(new Refusal.Unavailable($"{fileName}: the upstream of {mirror.IndexPath} could not be read")),
        };
    }

    private static Fetch.Failed NotFound(IndexEntry mirror, string fileName) =>
        new(new Refusal.NotFound($"no file {fileName} in {mirror.IndexPath}"));
}
