namespace Wheelhouse.Storage;

/// <summary>
/// The release files under their URL paths, for a web server (nginx) to serve without asking the application: a
/// read-only view of the metadata, kept in step by <see cref="UnitOfWork"/> (names removed before a deletion commits,
/// added after an addition commits) and rebuilt by <see cref="Reconcile"/> when it may not match.
/// </summary>
public interface IServedTree
{
    /// <summary>Whether the file (and, for a wheel with core metadata, its <c>.metadata</c>) has its name.</summary>
    bool IsLinked(FileRecord file, bool withMetadata);

    /// <summary>Whether the file can have a name at all (its segments are safe path segments).</summary>
    bool CanServe(FileRecord file);

    /// <summary>Gives a committed file its name; idempotent. False with a reason when it cannot (the server serves it then).</summary>
    bool TryLink(FileRecord file, byte[]? coreMetadata, out string? problem);

    /// <summary>Removes a file's names durably; before the deletion of its row commits.</summary>
    void Unlink(FileRecord file);

    /// <summary>Removes every name of an index at once; before the index's deletion commits.</summary>
    void UnlinkIndex(string user, string index);

    /// <summary>Removes every name of every index of a user; before the user's deletion commits.</summary>
    void UnlinkUser(string user);

    /// <summary>True when the tree was last known to match the metadata at <paramref name="serial"/> and no commit is unfinished.</summary>
    bool IsInStepWith(long serial);

    void MarkInStep(long serial);

    /// <summary>
    /// Notes the names a commit beginning at <paramref name="serialBefore"/> is about to touch, before it touches any
    /// (see <see cref="Files.ServedTreeJournal"/>).
    /// </summary>
    Files.ServedTreeJournal.Entry BeginChange(string uuid, long serialBefore, IEnumerable<FileRecord> files,
        IEnumerable<(string User, string Index)> indexes, IEnumerable<string> users);

    /// <summary>The commit's tree steps are done and the tree matches the rows at <paramref name="serial"/>.</summary>
    void EndChange(Files.ServedTreeJournal.Entry change, long serial);

    /// <summary>
    /// After a crash: brings back in step only the names the journal says an unfinished commit touched, when the
    /// journal accounts for every commit since the tree's marker; null when it cannot (then <see cref="Reconcile"/>).
    /// </summary>
    ReconcileReport? Recover(IMetadataReader rows, string uuid);

    /// <summary>Forgets the journal: the tree was just made to match the rows whole.</summary>
    void ClearJournal();

    /// <summary>
    /// What differs between the tree and <paramref name="files"/>, changing nothing (<c>check</c>): names a row needs
    /// but the tree lacks, and names in the tree no row has (relative to the tree's root).
    /// </summary>
    ServedTreeAudit Audit(IEnumerable<FileRecord> files);

    /// <summary>
    /// Makes the tree exactly match the rows, which it asks for by the first two hex digits of their sha256 (one
    /// shard at a time, so memory does not grow with the store); run before serving, with no writer active.
    /// </summary>
    ReconcileReport Reconcile(Func<string, IEnumerable<FileRecord>> filesWithSha256Prefix, Func<string, byte[]?> coreMetadata);
}

/// <summary>What <see cref="IServedTree.Audit"/> found: missing and stray names, relative to the tree's root.</summary>
public sealed record ServedTreeAudit(IReadOnlyList<string> Missing, IReadOnlyList<string> Stray);

/// <summary>What <see cref="IServedTree.Reconcile"/> did: names expected, created and removed, and the files it could not link.</summary>
/// <param name="FromJournal">Only the names of unfinished commits were checked (<see cref="IServedTree.Recover"/>), not the whole tree.</param>
public sealed record ReconcileReport(int Expected, int Linked, int Removed, IReadOnlyList<string> Problems, bool FromJournal = false);
