using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// Mirror pages kept in memory and on disk (one JSON file per project under the data directory), so a restarted
/// server still answers from its last copy while the upstream is down. File names are derived from validated names
/// (hex of the index path, the PEP 503 normalized project name), so nothing in a request can steer a path.
/// A damaged file counts as not cached.
/// </summary>
public sealed class FileMirrorPageCache(string directory, ILogger<FileMirrorPageCache> logger) : IMirrorPageCache
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<(IndexPath, string), MirrorCachedPage?> _memory = new();

    public MirrorCachedPage? Get(IndexPath index, ProjectName project) =>
        _memory.GetOrAdd((index, project.Normalized), _ => Load(PathFor(index, project)));

    public void Put(IndexPath index, ProjectName project, MirrorCachedPage page)
    {
        var path = PathFor(index, project);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(page, Json));
        File.Move(temp, path, overwrite: true);
        _memory[(index, project.Normalized)] = page;
    }

    public bool Remove(IndexPath index, ProjectName project)
    {
        var path = PathFor(index, project);
        var existed = _memory.TryRemove((index, project.Normalized), out var cached) && cached is not null;
        if (File.Exists(path))
        {
            File.Delete(path);
            existed = true;
        }
        return existed;
    }

    private string PathFor(IndexPath index, ProjectName project) =>
        Path.Combine(directory, Convert.ToHexStringLower(Encoding.UTF8.GetBytes(index.ToString())), project.Normalized + ".json");

    private MirrorCachedPage? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<MirrorCachedPage>(File.ReadAllBytes(path), Json) : null;
        }
        catch (JsonException e)
        {
            logger.LogWarning("Ignoring damaged mirror page cache file {Path}: {Reason}", path, e.Message);
            return null;
        }
    }
}
