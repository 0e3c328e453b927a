using System.Collections.Concurrent;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Simple;

/// <summary>
/// Rendered simple pages keyed by (index, project, format, link depth) and stamped with the serial they were built at:
/// an entry is reused while nothing has changed since, so a hot page costs a dictionary lookup and one write.
/// </summary>
public sealed class RenderedPageCache
{
    private const int MaxEntries = 20_000;
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();

    public readonly record struct Key(string Index, string Project, SimpleFormat Format, int Variant);

    public sealed record Entry(long Serial, byte[] Body);

    public byte[] GetOrRender(Key key, long serial, Func<byte[]> render)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Serial == serial)
        {
            return entry.Body;
        }
        var body = render();
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[key] = new Entry(serial, body);
        return body;
    }
}
