using System.Text.Json;

namespace Wheelhouse.Packaging.Apt;

/// <summary>
/// Remembers the control text and digests of each pool file by path, size and mtime, so re-indexing a pool that
/// grows with every release reads only the new files. Kept beside the pool as .pool-cache.json; a stale or broken
/// cache is simply rebuilt.
/// </summary>
internal sealed class PoolCache
{
    private readonly string _path;
    private readonly Dictionary<string, Entry> _entries;
    private bool _dirty;

    private PoolCache(string path, Dictionary<string, Entry> entries)
    {
        _path = path;
        _entries = entries;
    }

    public sealed record Entry(long Size, long MtimeTicks, string Control, string Md5, string Sha1, string Sha256);

    public static PoolCache Open(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, ".pool-cache.json");
        try
        {
            if (File.Exists(path) && JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllBytes(path)) is { } entries)
            {
                return new PoolCache(path, entries);
            }
        }
        catch (JsonException)
        {
            // Rebuilt below from the pool itself.
        }
        return new PoolCache(path, new Dictionary<string, Entry>(StringComparer.Ordinal));
    }

    public Entry Get(string relativePath, string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (_entries.TryGetValue(relativePath, out var cached) && cached.Size == info.Length && cached.MtimeTicks == info.LastWriteTimeUtc.Ticks)
        {
            return cached;
        }

        var hashes = FileHashes.Of(fullPath);
        var entry = new Entry(hashes.Size, info.LastWriteTimeUtc.Ticks, DebControlReader.Read(fullPath).ToString(), hashes.Md5, hashes.Sha1, hashes.Sha256);
        _entries[relativePath] = entry;
        _dirty = true;
        return entry;
    }

    public void Save(IEnumerable<string> present)
    {
        var keep = present.ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _entries.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            _entries.Remove(gone);
            _dirty = true;
        }
        if (!_dirty)
        {
            return;
        }

        File.WriteAllBytes(_path + ".tmp", JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, Entry>(_entries, StringComparer.Ordinal)));
        File.Move(_path + ".tmp", _path, overwrite: true);
    }
}
