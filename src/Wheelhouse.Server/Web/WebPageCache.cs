using System.Collections.Concurrent;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Web;

/// <summary>
/// Rendered pages by what they depend on (page, query, outside URL, viewer), valid while the store's serial is the one
/// they were rendered at: every commit changes the serial, so a page never outlives the data it shows.
/// </summary>
public sealed class WebPageCache(PackageStore store)
{
    private const int Capacity = 20_000;
    private readonly ConcurrentDictionary<string, (long Serial, byte[] Body)> _pages = new(StringComparer.Ordinal);

    public async Task<byte[]> GetOrRenderAsync(string key, Func<Task<byte[]>> render)
    {
        var serial = store.Serial;
        if (_pages.TryGetValue(key, out var cached) && cached.Serial == serial)
        {
            return cached.Body;
        }
        var body = await render().ConfigureAwait(false);
        if (_pages.Count >= Capacity)
        {
            _pages.Clear(); // many distinct filters or pages: start over rather than track ages
        }
        _pages[key] = (serial, body);
        return body;
    }
}
