namespace Wheelhouse.Storage;

/// <summary>
/// The one write transaction of a store: nothing is visible to readers until <see cref="Commit"/>, which also advances
/// the serial; disposing without committing rolls everything back. Used only by <see cref="UnitOfWork"/>, which keeps
/// the served tree and the blob store in step with it.
/// </summary>
public interface IMetadataWriter : IMetadataReader
{
    void InsertUser(UserRecord user);

    void UpdateUser(UserRecord user);

    /// <summary>Deletes the user with all of its indexes and their rows.</summary>
    void DeleteUser(string name);

    void InsertIndex(IndexRecord index);

    void UpdateIndex(IndexRecord index);

    /// <summary>Deletes the index with its releases and files.</summary>
    void DeleteIndex(string user, string name);

    void UpsertRelease(ReleaseRecord release);

    /// <summary>Deletes the release with its files.</summary>
    void DeleteRelease(string user, string index, string project, string version);

    /// <summary>Deletes every release of the project with their files.</summary>
    void DeleteProject(string user, string index, string project);

    void UpsertFile(FileRecord file);

    void DeleteFile(string user, string index, string fileName);

    void PutCoreMetadata(string sha256, byte[] content);

    /// <summary>Records a mirror's last pre-fetch run (JSON), replacing the one before; it goes with the index.</summary>
    void PutPrefetchStatus(string user, string index, string statusJson);

    /// <summary>Makes every change of this transaction visible at once and returns the new serial.</summary>
    long Commit();

    /// <summary>
    /// Takes in commits another process made to the same store (<c>layout apply</c> beside a running server): when the
    /// stored serial is ahead of this process's, or one of our commits skipped past theirs, adopts it and returns true;
    /// the caller then reloads what it keeps in memory. Commits nothing.
    /// </summary>
    bool AdoptOtherProcessesSerial();
}
