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
/// <para>
/// <see cref="Put"/> answers from memory at once and leaves the file to one writer in the background: creating a file
/// is the costliest step of a page fetch on a busy file system, and the client waiting for the page does not need
/// it. The copy on disk is a cache, not an acknowledgement: a crash loses at most the pages of the last moments,
/// which the next request fetches again. The writer writes what memory holds when it comes to a page (the newest of
/// several puts, nothing after a <see cref="Remove"/>), so a removed page is never written back; disposing writes
/// what is still waiting.
/// </para>
/// </summary>
public sealed class FileMirrorPageCache(string directory, ILogger<FileMirrorPageCache> logger) : IMirrorPageCache, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<(IndexPath, string), MirrorCachedPage?> _memory = new();
    private readonly ConcurrentQueue<(IndexPath Index, ProjectName Project)> _unwritten = new();
    private readonly Lock _files = new(); // one page file changes at a time: a write and a removal never cross
    private Task _writer = Task.CompletedTask;
    private int _writing;

    public MirrorCachedPage? Get(IndexPath index, ProjectName project) =>
        _memory.GetOrAdd((index, project.Normalized), _ => Load(PathFor(index, project)));

    public void Put(IndexPath index, ProjectName project, MirrorCachedPage page)
    {
        _memory[(index, project.Normalized)] = page;
        _unwritten.Enqueue((index, project));
        if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            _writer = Task.Run(WriteUnwritten);
        }
    }

    public bool Remove(IndexPath index, ProjectName project)
    {
        var path = PathFor(index, project);
        lock (_files)
        {
            var existed = _memory.TryRemove((index, project.Normalized), out var cached) && cached is not null;
            if (File.Exists(path))
            {
                File.Delete(path);
                existed = true;
            }
            return existed;
        }
    }

    /// <summary>Waits until every page put so far is on disk (or its write failed and was logged).</summary>
    public void Flush()
    {
        while (true)
        {
            _writer.GetAwaiter().GetResult();
            if (Volatile.Read(ref _writing) == 0 && _unwritten.IsEmpty)
            {
                return;
            }
            Thread.Sleep(1); // a writer is starting for a put that came in meanwhile
        }
    }

    /// <summary>Writes what is still waiting (at the host's stop).</summary>
    public void Dispose() => Flush();

    private void WriteUnwritten()
    {
        while (true)
        {
            while (_unwritten.TryDequeue(out var next))
            {
                Write(next.Index, next.Project);
            }
            Volatile.Write(ref _writing, 0);
            // A put between the last dequeue and the reset saw a writer running and started none: take its page.
            if (_unwritten.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private void Write(IndexPath index, ProjectName project)
    {
        var path = PathFor(index, project);
        lock (_files)
        {
            if (!_memory.TryGetValue((index, project.Normalized), out var page) || page is null)
            {
                return; // removed since (refresh, an upstream 404): nothing to keep
            }
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var temp = path + $".{Guid.NewGuid():N}.tmp";
                File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(page, Json));
                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still served from memory; only a restart loses it, and the upstream has it.
                logger.LogWarning("Cannot keep the mirror page of {Project} in {Index} on disk ({Path}): {Reason}", project, index, path, e.Message);
            }
        }
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
