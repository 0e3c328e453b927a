namespace Wheelhouse.Storage.Files;

/// <summary>The journal's side of the served tree: what a commit notes before touching it, and the start after a crash.</summary>
public sealed partial class ServedTree
{
    public ServedTreeJournal.Entry BeginChange(string uuid, long serialBefore, IEnumerable<FileRecord> files,
        IEnumerable<(string User, string Index)> indexes, IEnumerable<string> users) =>
        _journal.Begin(uuid, serialBefore, files, indexes, users);

    /// <summary>The marker first, then the entry: a crash between them leaves an entry older than the marker, replayed harmlessly.</summary>
    public void EndChange(ServedTreeJournal.Entry change, long serial)
    {
        MarkInStep(serial);
        ServedTreeJournal.Finish(change);
    }

    public void ClearJournal() => _journal.Clear();

    /// <summary>
    /// Checks only the names of the commits left unfinished, when the journal accounts for every commit since the
    /// marker (see <see cref="ServedTreeJournal"/> for why that is enough): the database at the marker's serial M, or
    /// at M + 1 with an entry begun at M, every entry begun at or before M, and the same database identity. Each name
    /// is set to what the rows say now: linked when a row has it, removed (durably) when none does. Null otherwise.
    /// </summary>
    public ReconcileReport? Recover(IMetadataReader rows, string uuid)
    {
        var serial = rows.StoredSerial();
        if (MarkedSerial() is not { } marked || _journal.ReadAll() is not { } entries
            || entries.Any(e => e.Uuid != uuid || e.SerialBefore > marked)
            || !(serial == marked || (serial == marked + 1 && entries.Any(e => e.SerialBefore == marked))))
        {
            return null;
        }
        var (checkedNames, linked, removed, problems) = (0, 0, 0, new List<string>());
        var indexes = rows.Indexes(); // read once: an entry may name many indexes and users
        void Check(IEnumerable<FileRecord> files)
        {
            foreach (var file in files)
            {
                checkedNames++;
                linked += Relink(file, rows, problems);
            }
        }
        foreach (var entry in entries)
        {
            foreach (var named in entry.Files)
            {
                var row = rows.File(named.User, named.Index, named.FileName);
                if (row is not null && row.Sha256 == named.Sha256)
                {
                    Check([row]);
                }
                else
                {
                    checkedNames++;
                    removed += RemoveName(named);
                }
            }
            foreach (var (user, index) in entry.Indexes)
            {
                if (indexes.Any(i => i.User == user && i.Name == index))
                {
                    Check(rows.IndexFiles(user, index));
                }
                else
                {
                    UnlinkIndex(user, index);
                }
            }
            foreach (var user in entry.Users)
            {
                if (rows.User(user) is null)
                {
                    UnlinkUser(user);
                    continue;
                }
                foreach (var index in indexes.Where(i => i.User == user))
                {
                    Check(rows.IndexFiles(user, index.Name));
                }
            }
        }
        removed += RemoveInterruptedRemovals();
        return new ReconcileReport(checkedNames, linked, removed, problems, FromJournal: true);
    }

    /// <summary>1 when the row's name (or its core metadata) was missing and is now there.</summary>
    private int Relink(FileRecord row, IMetadataReader rows, List<string> problems)
    {
        var metadata = row.MetadataSha256 is { } m ? rows.CoreMetadata(m) : null;
        if (IsLinked(row, withMetadata: metadata is not null))
        {
            RemoveTemporaryFiles(row);
            return 0;
        }
        if (!TryLink(row, metadata, out var problem))
        {
            problems.Add(problem!);
            return 0;
        }
        RemoveTemporaryFiles(row);
        return 1;
    }

    /// <summary>Removes a name no row has any more (with its core metadata), durably; how many files that was.</summary>
    private int RemoveName(FileRecord named)
    {
        if (PathOf(named) is not { } path)
        {
            return 0;
        }
        var removed = (File.Exists(path) ? 1 : 0) + (File.Exists(path + MetadataSuffix) ? 1 : 0);
        RemoveTemporaryFiles(named);
        Unlink(named);
        return removed;
    }

    /// <summary>A link's unfinished core metadata (<see cref="WriteAtomically"/> writes a dot-named temp file beside the name).</summary>
    private void RemoveTemporaryFiles(FileRecord file)
    {
        if (PathOf(file) is { } path && Path.GetDirectoryName(path) is { } directory && Directory.Exists(directory))
        {
            foreach (var temp in Directory.EnumerateFiles(directory, ".*.tmp"))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>The renamed-away copies of removed indexes and users a crash left before their deletion finished.</summary>
    private int RemoveInterruptedRemovals()
    {
        var removed = 0;
        foreach (var trash in Directory.EnumerateDirectories(Root, ".removing-*"))
        {
            removed += Directory.EnumerateFiles(trash, "*", SearchOption.AllDirectories).Count();
            Directory.Delete(trash, recursive: true);
        }
        return removed;
    }
}
