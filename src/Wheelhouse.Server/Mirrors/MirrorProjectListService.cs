using System.Collections.Concurrent;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// A mirror's project list, kept in memory for <c>mirror_cache_expiry</c> like its pages (PyPI's is large and
/// changes constantly; nobody needs it fresher). One upstream request however many clients ask; stale on failure.
/// </summary>
public sealed class MirrorProjectListService(UpstreamSimpleClient client, TimeProvider clock)
{
    // Keyed by index and mirror_url: a list of the index's former upstream is never served for its current one.
    private readonly ConcurrentDictionary<(IndexPath, Uri), (UpstreamProjectList List, DateTimeOffset FetchedAt)> _lists = new();
    private readonly KeyedSingleFlight<(IndexPath, Uri), MirrorProjectListAnswer> _fetches = new();

    public async Task<MirrorProjectListAnswer> GetAsync(IndexPath index, IndexConfig config, CancellationToken cancellationToken)
    {
        if (!config.IsMirror)
        {
            throw new ArgumentException($"index {index} is not a mirror", nameof(config));
        }
        if (!MirrorUrl.TryParse(config.MirrorUrl, out var mirror, out var urlError))
        {
            return new MirrorProjectListAnswer.Unavailable(MirrorPageService.MirrorUrlUnusable(index, urlError));
        }
        var now = clock.GetUtcNow();
        var key = (index, mirror.BaseUri);
        if (_lists.TryGetValue(key, out var cached) && now >= cached.FetchedAt && now - cached.FetchedAt < TimeSpan.FromSeconds(config.EffectiveMirrorCacheExpiry))
        {
            return new MirrorProjectListAnswer.List(cached.List, cached.FetchedAt, null);
        }
        var (answer, _) = await _fetches.RunAsync(key, async token =>
        {
            var result = await client.GetProjectListAsync(mirror, token);
            var fetchedAt = clock.GetUtcNow();
            switch (result)
            {
                case UpstreamResult<UpstreamProjectList>.Success s:
                    _lists[key] = (s.Value, fetchedAt);
                    return new MirrorProjectListAnswer.List(s.Value, fetchedAt, null);
                case UpstreamResult<UpstreamProjectList>.Failed { Failure: var f } when f.IsTransient && _lists.TryGetValue(key, out var old):
                    return new MirrorProjectListAnswer.List(old.List, old.FetchedAt, MirrorCachePolicy.StaleWarning(index.ToString(), f, old.FetchedAt, fetchedAt));
                case UpstreamResult<UpstreamProjectList>.Failed { Failure: var f }:
                    return new MirrorProjectListAnswer.Unavailable($"mirror {index} cannot list its projects: {f.Message}");
                default:
                    return new MirrorProjectListAnswer.Unavailable($"mirror {index} cannot list its projects: {((UpstreamResult<UpstreamProjectList>.NotFound)result).Message}");
            }
        }, cancellationToken);
        return answer;
    }
}
