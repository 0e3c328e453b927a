namespace Wheelhouse.Storage;

/// <summary>
/// Where users, indexes, releases and file rows live, with a serial that every committed write advances. The SQLite
/// implementation is <see cref="Sqlite.SqliteMetadataStore"/>; another database implements this and the reader and
/// writer interfaces, and nothing above storage changes.
/// </summary>
public interface IMetadataStore : IDisposable
{
    /// <summary>The serial of the last committed change (X-Devpi-Serial).</summary>
    long Serial { get; }

    /// <summary>The server's identity, generated once (X-Devpi-Uuid).</summary>
    string Uuid { get; }

    /// <summary>True once a commit of ours skipped serials another process took; cleared when adopted.</summary>
    bool OtherProcessCommitsPending { get; }

    /// <summary>A read-only view for one request.</summary>
    IMetadataReader Read();

    /// <summary>Starts the one write transaction of a request; waits for other writers.</summary>
    Task<IMetadataWriter> WriteAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a consistent copy of everything committed so far to <paramref name="path"/> (a new file), online: readers
    /// and writers go on. A <see cref="StoreSnapshot"/> calls it while it holds the write lock, so the copy is its view.
    /// The copy may not be durable yet: sync its file system before relying on it.
    /// </summary>
    void CopyTo(string path);
}
