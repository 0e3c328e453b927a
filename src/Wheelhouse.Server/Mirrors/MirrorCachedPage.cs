using System.Collections.Concurrent;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Server.Mirrors;

/// <summary>A project page as last fetched from the upstream, when, and from which simple index.</summary>
/// <param name="Source">The <c>mirror_url</c> it came from, without credentials (<see cref="MirrorUrl.BaseUri"/>): a page of
/// another upstream than the index's current one is no copy of it, neither fresh nor stale (the URL changed by PATCH or by
/// a layout apply).</param>
public sealed record MirrorCachedPage(UpstreamProjectPage Page, DateTimeOffset FetchedAt, string? Source = null)
{
    /// <summary>This page when it came from <paramref name="mirror"/>, else null.</summary>
    public MirrorCachedPage? From(MirrorUrl mirror) => Source == mirror.BaseUri.AbsoluteUri ? this : null;
}

/// <summary>
/// Where fetched mirror pages are kept between requests. <see cref="InMemoryMirrorPageCache"/> is enough for one
/// process; a persistent implementation lets a restarted server still answer while the upstream is down.
/// </summary>
public interface IMirrorPageCache
{
    MirrorCachedPage? Get(IndexPath index, ProjectName project);

    void Put(IndexPath index, ProjectName project, MirrorCachedPage page);

    /// <summary>Drops the page (refresh, or the upstream said 404). True when there was one.</summary>
    bool Remove(IndexPath index, ProjectName project);
}

public sealed class InMemoryMirrorPageCache : IMirrorPageCache
{
    private readonly ConcurrentDictionary<(IndexPath, string), MirrorCachedPage> _pages = new();

    public MirrorCachedPage? Get(IndexPath index, ProjectName project) => _pages.GetValueOrDefault((index, project.Normalized));

    public void Put(IndexPath index, ProjectName project, MirrorCachedPage page) => _pages[(index, project.Normalized)] = page;

    public bool Remove(IndexPath index, ProjectName project) => _pages.TryRemove((index, project.Normalized), out _);
}
