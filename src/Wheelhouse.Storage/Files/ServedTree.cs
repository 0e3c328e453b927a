namespace Wheelhouse.Storage.Files;

/// <summary>
/// The release files under their URL, for nginx to serve with <c>try_files</c>:
/// <c>&lt;data&gt;/+f-tree/{user}/{index}/+f/{sha[0:3]}/{sha[3:16]}/{filename}</c> is a hard link to the blob (no extra
/// space), and a wheel's PEP 658 core metadata sits beside it as <c>{filename}.metadata</c>. The tree is a read-only
/// view of the database, kept in step under the database's writer lock: a name appears only after the row that makes
/// the file visible is committed, and disappears (durably) before the row that removes it is, so a crash can leave a
/// name missing (the server answers, then relinks it) but never one nginx would serve for a deleted file.
/// Directories are 0755 and files 0644 whatever the umask, since nginx's workers run as another user; every path is
/// built from validated segments, so no name can leave the tree.
/// </summary>
public sealed partial class ServedTree : IServedTree
{
    public const string DirectoryName = "+f-tree";
    public const string MetadataSuffix = ".metadata";

    /// <summary>Records the serial the tree was last known to match; a different database serial means reconcile.</summary>
    public const string MarkerFileName = ".in-step-at-serial";

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly BlobStore _blobs;
    private readonly ServedTreeJournal _journal;

    public ServedTree(string dataDirectory, BlobStore blobs)
    {
        _blobs = blobs;
        Root = Path.Combine(Path.GetFullPath(dataDirectory), DirectoryName);
        EnsureDirectory(Root);
        _journal = new ServedTreeJournal(dataDirectory);
    }

    public string Root { get; }

    private string Marker => Path.Combine(Root, MarkerFileName);

    /// <summary>
    /// The tree path of a file, or null when a segment could name something outside it: empty, <c>.</c>, <c>..</c>,
    /// a separator, a control character, a leading dot (the tree's own bookkeeping) or a sha256 that is not lowercase hex.
    /// </summary>
    public string? PathOf(string user, string index, string sha256, string fileName) =>
        BlobStore.IsValidSha256(sha256) && IsSafeSegment(user) && IsSafeSegment(index) && IsSafeSegment(fileName)
            ? Path.Combine(Root, user, index, "+f", sha256[..3], sha256[3..16], fileName)
            : null;

    public string? PathOf(FileRecord file) => PathOf(file.User, file.Index, file.Sha256, file.FileName);

    public bool CanServe(FileRecord file) => PathOf(file) is not null;

    public static bool IsSafeSegment(string segment) =>
        segment.Length is > 0 and <= 255 && segment[0] != '.' && !segment.Any(c => c is '/' or '\\' || char.IsControl(c));

    public bool IsLinked(FileRecord file, bool withMetadata) =>
        PathOf(file) is { } path && File.Exists(path) && (!withMetadata || File.Exists(path + MetadataSuffix));

    /// <summary>
    /// Gives a committed file its URL-shaped name; idempotent. <paramref name="coreMetadata"/>, when given, is written
    /// beside it. False with a reason when it cannot be (unsafe name, blob missing, file system refusing): the server
    /// then keeps serving the file itself, so a caller logs the problem and carries on.
    /// </summary>
    public bool TryLink(FileRecord file, byte[]? coreMetadata, out string? problem)
    {
        problem = null;
        if (PathOf(file) is not { } path)
        {
            problem = $"{file.User}/{file.Index}/{file.FileName}: a name that cannot be a path in the served tree";
            return false;
        }
        var blob = _blobs.PathOf(file.Sha256)!;
        try
        {
            // As few system calls as it takes (a bulk import links thousands of files, each in its own directory):
            // the blob's mode is read once, which also says whether it exists, and a directory is made without
            // asking first whether it is there.
            if (!BlobIsServable(blob))
            {
                problem = $"{file.User}/{file.Index}/{file.FileName}: blob {file.Sha256} is missing from the store";
                return false;
            }
            MakeDirectories(Path.GetDirectoryName(path)!);
            LinkBlob(blob, path);
            if (coreMetadata is not null && !File.Exists(path + MetadataSuffix))
            {
                WriteAtomically(path + MetadataSuffix, temp => File.WriteAllBytes(temp, coreMetadata));
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot link {file.User}/{file.Index}/{file.FileName} into {Root}: {e.Message}";
            return false;
        }
    }

    /// <summary>False when the blob is missing; gives it the blob mode when an older version stored it private.</summary>
    private static bool BlobIsServable(string blob)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(blob);
        }
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(blob);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        if (mode != BlobStore.BlobMode)
        {
            Posix.SetMode(blob, BlobStore.BlobMode); // blobs stored by versions before the tree were private
        }
        return true;
    }

    private static void LinkBlob(string blob, string path)
    {
        switch (Posix.HardLink(blob, path))
        {
            case 0 or Posix.EEXIST:
                break;
            case Posix.EXDEV:
                // +files on another file system than the tree (an admin's mount): a copy costs space but still works.
                WriteAtomically(path, temp => File.Copy(blob, temp, overwrite: true));
                break;
            case var errno:
                throw new IOException($"link({blob}, {path}) failed with errno {errno}");
        }
    }

    /// <summary>
    /// <see cref="EnsureDirectories"/> in one or two system calls for the usual case (the parent exists, the directory
    /// does not): mkdir, then the tree's mode whatever the umask.
    /// </summary>
    private static void MakeDirectories(string directory)
    {
        switch (Posix.MakeDirectory(directory))
        {
            case 0:
                Posix.SetMode(directory, DirectoryMode);
                break;
            case Posix.ENOENT:
                EnsureDirectories(directory);
                break;
            default:
                EnsureDirectory(directory); // there already (EEXIST), or elsewhere than Linux: check it as before
                break;
        }
    }

    /// <summary>Removes a file's names (and its metadata) durably; call before committing the row's deletion.</summary>
    public void Unlink(FileRecord file)
    {
        if (PathOf(file) is not { } path || Path.GetDirectoryName(path) is not { } dir || !Directory.Exists(dir))
        {
            return; // never linked (its link failed and the server served it itself), or already gone
        }
        File.Delete(path);
        File.Delete(path + MetadataSuffix);
        Posix.FsyncDirectory(dir);
        PruneEmptyDirectories(dir);
    }

    /// <summary>Removes every file of an index at once (one rename out of nginx's sight); before the index is deleted.</summary>
    public void UnlinkIndex(string user, string index)
    {
        if (IsSafeSegment(user) && IsSafeSegment(index))
        {
            RemoveAtomically(Path.Combine(Root, user, index));
        }
    }

    /// <summary>Removes every file of every index of a user; before the user is deleted.</summary>
    public void UnlinkUser(string user)
    {
        if (IsSafeSegment(user))
        {
            RemoveAtomically(Path.Combine(Root, user));
        }
    }

    /// <summary>True when the tree was last known to match the database at <paramref name="serial"/> and no commit is unfinished.</summary>
    public bool IsInStepWith(long serial) => MarkedSerial() == serial && !_journal.HasEntries;

    /// <summary>The serial the marker records, or null when there is none (a new tree, or one removed by hand).</summary>
    private long? MarkedSerial() =>
        File.Exists(Marker) && long.TryParse(File.ReadAllText(Marker).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var serial)
            ? serial : null;

    public void MarkInStep(long serial) =>
        WriteAtomically(Marker, temp => File.WriteAllText(temp, serial.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));

    private static void EnsureDirectories(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }
        EnsureDirectories(Path.GetDirectoryName(directory)!);
        EnsureDirectory(directory);
    }

    private static void EnsureDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
        }
        if (Posix.ModeOf(directory) is { } mode && mode != DirectoryMode)
        {
            Posix.SetMode(directory, DirectoryMode);
        }
    }

    /// <summary>Removes <paramref name="directory"/> and its empty parents up to (not including) the root.</summary>
    private void PruneEmptyDirectories(string directory)
    {
        while (directory.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && TryRemoveEmpty(directory))
        {
            directory = Path.GetDirectoryName(directory)!;
        }
    }

    private static bool TryRemoveEmpty(string directory)
    {
        if (!Directory.Exists(directory) || Directory.EnumerateFileSystemEntries(directory).Any())
        {
            return false;
        }
        try
        {
            Directory.Delete(directory);
            return true;
        }
        catch (IOException)
        {
            return false; // something appeared meanwhile
        }
    }

    /// <summary>Renames the directory away (atomic for readers), makes that durable, then deletes the renamed copy.</summary>
    private void RemoveAtomically(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        var trash = Path.Combine(Root, $".removing-{Guid.NewGuid():N}");
        Directory.Move(directory, trash);
        Posix.FsyncDirectory(Path.GetDirectoryName(directory)!);
        Directory.Delete(trash, recursive: true); // a crash here leaves a dot-name no URL reaches; reconcile removes it
        PruneEmptyDirectories(Path.GetDirectoryName(directory)!);
    }

    /// <summary>Writes through a dot-named temp file in the same directory, then renames: readers see all or nothing.</summary>
    private static void WriteAtomically(string path, Action<string> write)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            Posix.SetMode(temp, BlobStore.BlobMode);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
