using System.Collections.Concurrent;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Simple;

/// <summary>
/// Rendered simple pages keyed by (index, project, format, link depth) and stamped with the serial they were built at
/// and the index entry they were built for: an entry is reused while nothing has changed since, so a hot page costs a
/// dictionary lookup and one write. The entry object stands for the user directory's snapshot (every refresh makes new
/// ones): a commit bumps the serial a moment before the directory is reloaded, and a page rendered in between must not
/// outlive the reload.
/// A page that mirrors contribute to is also stamped with the mirror pages it was built from (<see cref="MirrorSources"/>):
/// it is reused while each mirror still answers with the very same cached page.
/// </summary>
/// <param name="maxBytes">
/// The byte budget, kept approximately: mirror pages can be large (PyPI's biggest are a few MiB). Past it the cache
/// starts over; a page over an eighth of it is not kept.
/// </param>
public sealed class RenderedPageCache(long maxBytes = 256L * 1024 * 1024)
{
    private const int MaxEntries = 20_000;
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private readonly ConcurrentDictionary<Key, object> _rendering = new();
    private long _bytes;

    private long _hits;
    private long _misses;

    /// <summary>The bytes held (approximately).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Pages answered from the cache so far (exported as <c>wheelhouse_page_cache_hits_total</c>).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Pages rendered because nothing current was cached.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Counts a lookup whose outcome its caller decided (a mirror-backed page is a hit only while its mirrors still match).</summary>
    public void Count(bool hit) => Interlocked.Increment(ref hit ? ref _hits : ref _misses);

    public readonly record struct Key(IndexPath Index, string Project, SimpleFormat Format, int Variant);

    public sealed record Entry(long Serial, object Snapshot, byte[] Body, MirrorSources? Mirrors = null)
    {
        public bool IsFor(long serial, object snapshot) => Serial == serial && ReferenceEquals(Snapshot, snapshot);
    }

    /// <summary>The mirrors a page consulted at its serial (the whitelist decision), and what each answered (null: not found).</summary>
    public sealed record MirrorSources(IReadOnlyList<ResolvedIndex> Consulted, IReadOnlyList<UpstreamProjectPage?> Pages)
    {
        /// <summary>True when every mirror answered, without a warning, with the same page object as when the entry was built.</summary>
        public bool StillMatch(IReadOnlyList<MirrorPageAnswer> answers)
        {
            for (var i = 0; i < Pages.Count; i++)
            {
                var same = answers[i] switch
                {
                    MirrorPageAnswer.Page { Warning: null } page => ReferenceEquals(page.Value, Pages[i]),
                    MirrorPageAnswer.NotFound => Pages[i] is null,
                    _ => false,
                };
                if (!same)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>
    /// The page as rendered for <paramref name="serial"/> and <paramref name="snapshot"/>, rendered now if no entry is.
    /// One render per page at a time: a burst of requests for a page nobody has rendered since the last commit (a
    /// project list of 100,000 names, several MB) renders it once and the others wait for it, rather than each
    /// rendering its own copy (hundreds of MB at once, and slower for all of them).
    /// </summary>
    public byte[] GetOrRender(Key key, long serial, object snapshot, Func<byte[]> render)
    {
        if (Current(key, serial, snapshot) is { } cached)
        {
            Count(hit: true);
            return cached;
        }
        var gate = _rendering.GetOrAdd(key, _ => new object());
        try
        {
            lock (gate)
            {
                if (Current(key, serial, snapshot) is { } renderedMeanwhile)
                {
                    Count(hit: true);
                    return renderedMeanwhile;
                }
                Count(hit: false);
                var body = render();
                Put(key, new Entry(serial, snapshot, body));
                return body;
            }
        }
        finally
        {
            _rendering.TryRemove(new KeyValuePair<Key, object>(key, gate)); // gates live only while a render runs
        }
    }

    private byte[]? Current(Key key, long serial, object snapshot) =>
        _entries.TryGetValue(key, out var entry) && entry.IsFor(serial, snapshot) && entry.Mirrors is null ? entry.Body : null;

    /// <summary>The entry of a mirror-backed page built at <paramref name="serial"/> for <paramref name="snapshot"/>, if any.</summary>
    public Entry? FindMirrorBacked(Key key, long serial, object snapshot) =>
        _entries.TryGetValue(key, out var entry) && entry.IsFor(serial, snapshot) && entry.Mirrors is not null ? entry : null;

    public void Put(Key key, Entry entry)
    {
        if (entry.Body.Length > maxBytes / 8)
        {
            return;
        }
        if (_entries.Count >= MaxEntries || Interlocked.Read(ref _bytes) + entry.Body.Length > maxBytes)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _bytes, 0);
        }
        var replaced = _entries.TryGetValue(key, out var old) ? old.Body.Length : 0;
        _entries[key] = entry;
        Interlocked.Add(ref _bytes, entry.Body.Length - replaced);
    }
}
