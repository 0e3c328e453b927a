using System.Collections.Concurrent;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Server.Mirrors;

/// <summary>A project page as last fetched from the upstream, and when.</summary>
public sealed record MirrorCachedPage(UpstreamProjectPage Page, DateTimeOffset FetchedAt);

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
