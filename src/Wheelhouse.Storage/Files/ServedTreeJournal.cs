using System.Globalization;
using System.Text;

namespace Wheelhouse.Storage.Files;

/// <summary>
/// The names a commit is about to touch in the served tree, noted before it touches any
/// (<c>&lt;data&gt;/+f-tree.journal/</c>, beside the tree so no URL reaches it), so that a start after a crash checks
/// those names instead of the whole tree (1,000,000 files took 89 s to walk).
/// <para>
/// Why that is enough. The unit of work makes names disappear durably before the rows that remove them commit and
/// appear only after the rows that add them have, all under the write lock; its last tree step advances the tree's
/// in-step marker to the new serial (<see cref="ServedTree.MarkInStep"/>) and deletes its entry. So, whatever the
/// moment of a crash, the tree differs from the rows only in names of the one commit that was in flight, and that
/// commit's entry lists them: one began at the marker's serial M and, if its rows committed, the database is at
/// M + 1; otherwise the database is at M. Any other state (no entry, an entry begun elsewhere, a database behind the
/// marker, another identity) means the rows changed without this journal seeing it (a database restored or replaced,
/// a version without the journal, a marker lost to a power cut), and the start walks the whole tree as before.
/// </para>
/// <para>
/// Nothing here is synced: a process crash keeps the page cache, and what a power cut can lose is an entry or a
/// marker move. A lost marker move means the walk (M is behind); a lost entry means the names it listed stay as the
/// crash left them, which is only ever a missing name (the unlink before the commit is durable, the link after it
/// needs no entry to be safe), and a missing name is served by the server itself and relinked when asked for.
/// Replaying an entry is idempotent and correct at any time: each name is set to what the rows say now.
/// </para>
/// </summary>
public sealed class ServedTreeJournal
{
    public const string DirectoryName = "+f-tree.journal";
    private const string Header = "wheelhouse served-tree journal 1";
    private const string EntrySuffix = ".entry";

    public ServedTreeJournal(string dataDirectory)
    {
        Directory = Path.Combine(Path.GetFullPath(dataDirectory), DirectoryName);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>One commit's names, as a crash may leave them to be checked.</summary>
    /// <param name="SerialBefore">The serial the commit began at; it commits as the next one.</param>
    public sealed record Entry(string? Path, string Uuid, long SerialBefore, IReadOnlyList<FileRecord> Files,
        IReadOnlyList<(string User, string Index)> Indexes, IReadOnlyList<string> Users);

    /// <summary>Writes an entry before the commit touches the tree; <see cref="Finish"/> deletes it after.</summary>
    public Entry Begin(string uuid, long serialBefore, IEnumerable<FileRecord> files, IEnumerable<(string User, string Index)> indexes, IEnumerable<string> users)
    {
        var entry = new Entry(null, uuid, serialBefore, files.ToList(), indexes.ToList(), users.ToList());
        var text = new StringBuilder().Append(Header).Append('\n')
            .Append("uuid\t").Append(uuid).Append('\n')
            .Append("serial\t").Append(serialBefore.ToString(CultureInfo.InvariantCulture)).Append('\n');
        // Names with a tab or a line break cannot be in the tree (ServedTree.IsSafeSegment), so they need no line.
        foreach (var f in entry.Files.Where(f => Writable(f.User, f.Index, f.FileName, f.Sha256)))
        {
            text.Append("F\t").Append(f.User).Append('\t').Append(f.Index).Append('\t').Append(f.FileName).Append('\t').Append(f.Sha256).Append('\n');
        }
        foreach (var (user, index) in entry.Indexes.Where(i => Writable(i.User, i.Index)))
        {
            text.Append("I\t").Append(user).Append('\t').Append(index).Append('\n');
        }
        foreach (var user in entry.Users.Where(u => Writable(u)))
        {
            text.Append("U\t").Append(user).Append('\n');
        }
        var path = System.IO.Path.Combine(Directory, $"{serialBefore.ToString("D20", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}{EntrySuffix}");
        File.WriteAllText(path, text.ToString());
        return entry with { Path = path };
    }

    /// <summary>The commit's tree steps are done: its entry goes.</summary>
    public static void Finish(Entry entry)
    {
        if (entry.Path is { } path)
        {
            File.Delete(path);
        }
    }

    /// <summary>Whether any entry is left (a crash, or a commit that failed midway).</summary>
    public bool HasEntries => System.IO.Directory.EnumerateFiles(Directory, "*" + EntrySuffix).Any();

    /// <summary>
    /// Every entry left, or null when one cannot be read whole (a crash while it was written: the commit had not yet
    /// touched the tree, but its names are unknown, so the caller walks the tree).
    /// </summary>
    public IReadOnlyList<Entry>? ReadAll()
    {
        var entries = new List<Entry>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + EntrySuffix).Order(StringComparer.Ordinal))
        {
            if (Parse(path) is not { } entry)
            {
                return null;
            }
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>Deletes every entry (after a replay or a whole-tree reconcile made the tree match the rows).</summary>
    public void Clear()
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
        {
            File.Delete(path);
        }
    }

    private static Entry? Parse(string path)
    {
        var lines = File.ReadAllText(path).Split('\n');
        // Written in one call before the tree is touched, so a torn entry means an untouched tree; refused whole all
        // the same (a walk), since after a power cut nothing orders it against the names.
        if (lines.Length < 4 || lines[0] != Header || lines[^1].Length != 0
            || lines[1].Split('\t') is not ["uuid", var uuid]
            || lines[2].Split('\t') is not ["serial", var serialText]
            || !long.TryParse(serialText, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            return null;
        }
        var (files, indexes, users) = (new List<FileRecord>(), new List<(string, string)>(), new List<string>());
        foreach (var line in lines.AsSpan(3, lines.Length - 4))
        {
            switch (line.Split('\t'))
            {
                case ["F", var user, var index, var name, var sha]:
                    files.Add(new FileRecord(user, index, name, "", "", FileKind.ReleaseFile, sha, 0, default, "", null, ""));
                    break;
                case ["I", var user, var index]:
                    indexes.Add((user, index));
                    break;
                case ["U", var user]:
                    users.Add(user);
                    break;
                default:
                    return null;
            }
        }
        return new Entry(path, uuid, serial, files, indexes, users);
    }

    private static bool Writable(params string[] segments) => segments.All(s => !s.Contains('\t') && !s.Contains('\n') && !s.Contains('\r'));
}
