using System.Collections.Concurrent;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// A mirror index's project pages: served from <see cref="IMirrorPageCache"/> while fresh, refetched (one upstream
/// request however many clients ask at once) when expired, served stale with a warning when the upstream fails.
/// An upstream 404 is remembered as long as a page would be: pip asks every index for every name it resolves, and a
/// name only private indexes hold must not cost a round trip to PyPI each time.
/// </summary>
public sealed class MirrorPageService(UpstreamSimpleClient client, IMirrorPageCache cache, TimeProvider clock)
{
    private readonly KeyedSingleFlight<(IndexPath, string), MirrorPageAnswer> _fetches = new();
    private const int MaxRememberedNotFound = 100_000;
    private readonly ConcurrentDictionary<(IndexPath, string), (DateTimeOffset At, string Source, MirrorPageAnswer.NotFound Answer)> _notFound = new();

    /// <param name="config">The mirror index's config (<c>type: mirror</c>): its <c>mirror_url</c> and <c>mirror_cache_expiry</c>.</param>
    public async Task<MirrorPageAnswer> GetProjectPageAsync(IndexPath index, IndexConfig config, ProjectName project, CancellationToken cancellationToken)
    {
        if (!config.IsMirror)
        {
            throw new ArgumentException($"index {index} is not a mirror", nameof(config));
        }
        if (!MirrorUrl.TryParse(config.MirrorUrl, out var mirror, out var urlError))
        {
            return new MirrorPageAnswer.Unavailable(MirrorUrlUnusable(index, urlError));
        }
        var cached = cache.Get(index, project)?.From(mirror);
        if (MirrorCachePolicy.IsFresh(cached, clock.GetUtcNow(), config.EffectiveMirrorCacheExpiry))
        {
            return new MirrorPageAnswer.Page(cached!.Page, cached.FetchedAt, null);
        }
        if (_notFound.TryGetValue((index, project.Normalized), out var missing) && missing.Source == mirror.BaseUri.AbsoluteUri
            && MirrorCachePolicy.IsFresh(missing.At, clock.GetUtcNow(), config.EffectiveMirrorCacheExpiry))
        {
            return missing.Answer;
        }
        var fetch = _fetches.RunAsync((index, project.Normalized), async token =>
        {
            var result = await client.GetProjectPageAsync(mirror, project, token);
            var current = cache.Get(index, project)?.From(mirror);
            var decided = MirrorCachePolicy.AfterFetch(index.ToString(), project.Normalized, current, result, clock.GetUtcNow());
            switch (decided)
            {
                case MirrorPageAnswer.Page { Warning: null } page:
                    cache.Put(index, project, new MirrorCachedPage(page.Value, page.FetchedAt, mirror.BaseUri.AbsoluteUri));
                    _notFound.TryRemove((index, project.Normalized), out _);
                    break;
                case MirrorPageAnswer.NotFound notFound:
                    cache.Remove(index, project);
                    if (_notFound.Count >= MaxRememberedNotFound)
                    {
                        _notFound.Clear(); // anyone may ask for made-up names: memory stays bounded, the cost is a few refetches
                    }
                    _notFound[(index, project.Normalized)] = (clock.GetUtcNow(), mirror.BaseUri.AbsoluteUri, notFound);
                    break;
            }
            return decided;
        }, cancellationToken);
        if (cached is null)
        {
            return (await fetch).Result;
        }
        // An expired page beats waiting on a slow upstream; the fetch goes on and refreshes the cache when it lands.
        var budget = client.Options.SlowUpstreamBudget;
        if (await Task.WhenAny(fetch, Task.Delay(budget, clock, cancellationToken)) == fetch)
        {
            return (await fetch).Result;
        }
        cancellationToken.ThrowIfCancellationRequested();
        return new MirrorPageAnswer.Page(cached.Page, cached.FetchedAt,
            MirrorCachePolicy.SlowWarning(index.ToString(), budget, cached.FetchedAt, clock.GetUtcNow()));
    }

    /// <summary><c>POST .../+simple/&lt;p&gt;/refresh</c>: the next request goes to the upstream.</summary>
    public bool Refresh(IndexPath index, ProjectName project) =>
        _notFound.TryRemove((index, project.Normalized), out _) | cache.Remove(index, project);

    /// <summary>The link for <paramref name="filename"/> on the project's page (cached or fetched), for serving a file.</summary>
    public async Task<(UpstreamLink? Link, MirrorPageAnswer Answer)> FindLinkAsync(
        IndexPath index, IndexConfig config, ProjectName project, string filename, CancellationToken cancellationToken)
    {
        var answer = await GetProjectPageAsync(index, config, project, cancellationToken);
        var link = answer is MirrorPageAnswer.Page page ? page.Value.Links.FirstOrDefault(l => l.Filename == filename) : null;
        return (link, answer);
    }

    /// <summary>The 502 message for a mirror whose stored <c>mirror_url</c> the server cannot use (stored before today's rules).</summary>
    internal static string MirrorUrlUnusable(IndexPath index, string problem) =>
        $"mirror {index} cannot be used: its stored {problem}; its owner or root can fix it with: devpi index -m {index} mirror_url=URL";
}
