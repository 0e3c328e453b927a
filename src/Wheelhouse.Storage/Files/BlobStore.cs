namespace Wheelhouse.Storage.Files;

/// <summary>
/// Content-addressed files under <c>&lt;data&gt;/+files/sha256/ab/cdef…</c>. A path is computed only from a validated
/// sha256, so no request can name a file outside the store. New content is written to <c>+files/tmp</c>, fsynced and
/// renamed into place: a blob is either complete or absent. <c>+files</c> is private to the server (0700); a blob itself
/// is 0644 because the <see cref="ServedTree"/> gives it a second, world-readable name for nginx (a hard link shares
/// the mode), and the content is public anyway: the spec has no read ACL.
/// </summary>
public sealed class BlobStore : IBlobStore
{
    private readonly string _root;
    private readonly string _tmp;

    public BlobStore(string dataDirectory)
    {
        _root = Path.Combine(Path.GetFullPath(dataDirectory), "+files", "sha256");
        _tmp = Path.Combine(Path.GetFullPath(dataDirectory), "+files", "tmp");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_tmp);
        // Only the served tree is for others: nothing under +files is reachable by name (no orphans, no temp files).
        Posix.SetMode(Path.GetDirectoryName(_root)!, PrivateDirectory);
    }

    /// <summary>The mode of <c>+files</c>: the server's user only.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The mode of a published blob (see the class comment).</summary>
    public const UnixFileMode BlobMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static bool IsValidSha256(string? hex) =>
        hex is { Length: 64 } && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public string? PathOf(string sha256) =>
        IsValidSha256(sha256) ? Path.Combine(_root, sha256[..2], sha256[2..]) : null;

    public bool Exists(string sha256) => PathOf(sha256) is { } p && File.Exists(p);

    public FileInfo? Info(string sha256) => PathOf(sha256) is { } p && File.Exists(p) ? new FileInfo(p) : null;

    public PendingBlob Create() => new(this, Path.Combine(_tmp, Guid.NewGuid().ToString("N")), synced: true);

    public PendingBlob CreateUnsynced() => new(this, Path.Combine(_tmp, Guid.NewGuid().ToString("N")), synced: false);

    public void SyncAll() => Posix.SyncFileSystem(_root);

    internal void Publish(string tempPath, string sha256, bool synced = true)
    {
        var target = PathOf(sha256) ?? throw new InvalidOperationException("computed sha256 is not hex");
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        if (File.Exists(target))
        {
            // Identical content is already durable; keep the old inode so open readers are unaffected.
            File.Delete(tempPath);
            return;
        }
        Posix.SetMode(tempPath, BlobMode); // before the rename: a blob is never visible with another mode
        File.Move(tempPath, target, overwrite: true);
        if (synced)
        {
            Posix.FsyncDirectory(dir);
        }
    }

    public int RemoveTemporaryFiles(TimeSpan? olderThan = null)
    {
        var removed = 0;
        var before = olderThan is { } age ? DateTime.UtcNow - age : DateTime.MaxValue;
        foreach (var f in Directory.EnumerateFiles(_tmp))
        {
            if (File.GetLastWriteTimeUtc(f) >= before)
            {
                continue;
            }
            File.Delete(f);
            removed++;
        }
        return removed;
    }

    public IReadOnlyList<string> Shards() =>
        Directory.EnumerateDirectories(_root).Select(Path.GetFileName).OfType<string>().Where(IsShard).Order(StringComparer.Ordinal).ToList();

    private static bool IsShard(string name) => name.Length == 2 && name.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public int CollectGarbage(string shard, IReadOnlySet<string> referenced)
    {
        if (!IsShard(shard))
        {
            throw new ArgumentException($"'{shard}' is not a blob shard (two lowercase hex digits)", nameof(shard));
        }
        var removed = 0;
        var dir = Path.Combine(_root, shard);
        if (!Directory.Exists(dir))
        {
            return 0;
        }
        foreach (var f in Directory.EnumerateFiles(dir))
        {
            if (!referenced.Contains(shard + Path.GetFileName(f)))
            {
                File.Delete(f);
                removed++;
            }
        }
        return removed;
    }

    public void Delete(string sha256)
    {
        if (PathOf(sha256) is { } p)
        {
            File.Delete(p);
        }
    }
}
