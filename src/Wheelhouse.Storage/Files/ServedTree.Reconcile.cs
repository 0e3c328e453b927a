namespace Wheelhouse.Storage.Files;

/// <summary>The tree against the rows: made to match them at start (<see cref="Reconcile"/>), or compared with them (<see cref="Audit"/>).</summary>
public sealed partial class ServedTree
{
    /// <summary>
    /// Makes the tree exactly match the rows: links what is missing (an upgrade from a version without the tree, a
    /// crash between commit and link), removes what no row names (temp files, a downgrade's leftovers, anything placed
    /// by hand). Run before serving, with no writer active. Goes shard by shard: the first two hex digits of a sha256
    /// start the directory a name sits in under each index's <c>+f</c>, so it holds one shard's rows at a time
    /// (1/256 of them), never every file's, whatever the size of the store.
    /// </summary>
    /// <param name="filesWithSha256Prefix">The rows whose sha256 starts with the given two hex digits.</param>
    /// <param name="coreMetadata">A wheel's core metadata by its sha256, or null when unknown.</param>
    public ReconcileReport Reconcile(Func<string, IEnumerable<FileRecord>> filesWithSha256Prefix, Func<string, byte[]?> coreMetadata)
    {
        var removed = RemoveMisplaced();
        var shardParents = Entries(Root).OfType<DirectoryInfo>().SelectMany(user => Entries(user.FullName).OfType<DirectoryInfo>())
            .Select(index => Path.Combine(index.FullName, "+f")).Where(Directory.Exists).ToList();
        var (expectedCount, linked, problems) = (0, 0, new List<string>());
        for (var s = 0; s < 256; s++)
        {
            var shard = s.ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
            var (expected, shardProblems) = Expected(filesWithSha256Prefix(shard));
            problems.AddRange(shardProblems);
            expectedCount += expected.Count;
            foreach (var directory in shardParents.SelectMany(parent => "0123456789abcdef".Select(c => Path.Combine(parent, shard + c))))
            {
                if (Directory.Exists(directory))
                {
                    removed += RemoveUnexpected(directory, expected);
                    TryRemoveEmpty(directory);
                }
            }
            linked += LinkMissing(expected, coreMetadata, problems);
        }
        foreach (var parent in shardParents)
        {
            PruneEmptyDirectories(parent);
        }
        return new ReconcileReport(expectedCount, linked, removed, problems);
    }

    private int LinkMissing(Dictionary<string, (FileRecord File, bool IsMetadata)> expected, Func<string, byte[]?> coreMetadata, List<string> problems)
    {
        var linked = 0;
        foreach (var (path, (file, isMetadata)) in expected)
        {
            if (File.Exists(path))
            {
                continue;
            }
            var metadata = isMetadata && file.MetadataSha256 is { } m ? coreMetadata(m) : null;
            if (isMetadata && metadata is null)
            {
                continue;
            }
            if (TryLink(file, metadata, out var problem))
            {
                linked++;
            }
            else
            {
                problems.Add(problem!);
            }
        }
        return linked;
    }

    /// <summary>
    /// Removes whatever is not where a name can be, <c>{user}/{index}/+f/{3 hex digits}/</c> (symbolic links, files at
    /// the upper levels, dot-named leftovers of an interrupted removal); what is below that is the shards' business.
    /// </summary>
    private int RemoveMisplaced()
    {
        var removed = 0;
        foreach (var user in Entries(Root).Where(e => e.FullName != Marker))
        {
            if (!IsPlainDirectory(user, IsSafeSegment))
            {
                removed += Remove(user);
                continue;
            }
            foreach (var index in Entries(user.FullName))
            {
                if (!IsPlainDirectory(index, IsSafeSegment))
                {
                    removed += Remove(index);
                    continue;
                }
                foreach (var files in Entries(index.FullName))
                {
                    if (!IsPlainDirectory(files, name => name == "+f"))
                    {
                        removed += Remove(files);
                        continue;
                    }
                    foreach (var prefix in Entries(files.FullName).Where(e => !IsPlainDirectory(e, IsShardDirectory)))
                    {
                        removed += Remove(prefix);
                    }
                }
                TryRemoveEmpty(index.FullName);
            }
            TryRemoveEmpty(user.FullName);
        }
        return removed;
    }

    private static List<FileSystemInfo> Entries(string directory) => new DirectoryInfo(directory).EnumerateFileSystemInfos().ToList();

    private static bool IsPlainDirectory(FileSystemInfo entry, Func<string, bool> nameFits) =>
        entry is DirectoryInfo && entry.LinkTarget is null && nameFits(entry.Name);

    private static bool IsShardDirectory(string name) => name.Length == 3 && name.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>Removes an entry that no name can be in, with whatever is below it; how many files that was.</summary>
    private int Remove(FileSystemInfo entry)
    {
        if (entry is DirectoryInfo && entry.LinkTarget is null)
        {
            var removed = RemoveUnexpected(entry.FullName, new());
            TryRemoveEmpty(entry.FullName);
            return removed;
        }
        entry.Delete();
        return 1;
    }

    public ServedTreeAudit Audit(IEnumerable<FileRecord> files)
    {
        var (expected, _) = Expected(files);
        var missing = expected.Keys.Where(p => !File.Exists(p)).Select(p => Path.GetRelativePath(Root, p)).Order(StringComparer.Ordinal).ToList();
        var stray = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(p => p != Marker && !expected.ContainsKey(p)).Select(p => Path.GetRelativePath(Root, p)).Order(StringComparer.Ordinal).ToList();
        return new ServedTreeAudit(missing, stray);
    }

    private (Dictionary<string, (FileRecord File, bool IsMetadata)> Expected, List<string> Problems) Expected(IEnumerable<FileRecord> files)
    {
        var expected = new Dictionary<string, (FileRecord File, bool IsMetadata)>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var file in files)
        {
            if (PathOf(file) is not { } path)
            {
                problems.Add($"{file.User}/{file.Index}/{file.FileName}: a name that cannot be a path in the served tree");
                continue;
            }
            expected[path] = (file, false);
            if (file.MetadataSha256 is not null)
            {
                expected[path + MetadataSuffix] = (file, true);
            }
        }
        return (expected, problems);
    }

    private int RemoveUnexpected(string directory, Dictionary<string, (FileRecord, bool)> expected)
    {
        var removed = 0;
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().ToList())
        {
            if (entry.LinkTarget is not null)
            {
                entry.Delete(); // the server makes no symlinks; one could point anywhere
                removed++;
            }
            else if (entry is DirectoryInfo sub)
            {
                removed += RemoveUnexpected(sub.FullName, expected);
                TryRemoveEmpty(sub.FullName);
            }
            else if (entry.FullName != Marker && !expected.ContainsKey(entry.FullName))
            {
                entry.Delete();
                removed++;
            }
        }
        return removed;
    }
}
