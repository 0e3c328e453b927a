namespace Wheelhouse.Storage;

/// <summary>
/// Content-addressed release files: a blob is named by its sha256, written through a <see cref="PendingBlob"/> and
/// published whole or not at all. Which blobs are still needed is the metadata's business (<see cref="UnitOfWork"/>).
/// </summary>
public interface IBlobStore
{
    /// <summary>The path of a blob (for sending it), or null when <paramref name="sha256"/> is not a lowercase hex sha256.</summary>
    string? PathOf(string sha256);

    bool Exists(string sha256);

    /// <summary>Starts a new blob: write to it, finish it, and hand it to a unit of work, which publishes it.</summary>
    PendingBlob Create();

    /// <summary>
    /// Starts a blob of a bulk write (an import): neither its content nor its publication is synced one by one;
    /// <see cref="SyncAll"/> makes them durable together, before the rows that reference them commit.
    /// </summary>
    PendingBlob CreateUnsynced();

    /// <summary>Makes every blob written or published so far durable at once (the file system's sync).</summary>
    void SyncAll();

    /// <summary>Deletes a blob; the caller has checked that no row refers to it any more.</summary>
    void Delete(string sha256);

    /// <summary>
    /// Removes the temp files of unfinished blobs (a crash's leftovers); only before any write of this process starts.
    /// With <paramref name="olderThan"/>, only files untouched for that long: other nodes sharing the store may be
    /// writing the rest. How many.
    /// </summary>
    int RemoveTemporaryFiles(TimeSpan? olderThan = null);

    /// <summary>The shards blobs are kept in: the first two hex digits of their sha256s, for collecting one at a time.</summary>
    IReadOnlyList<string> Shards();

    /// <summary>
    /// Removes the blobs of <paramref name="shard"/> not in <paramref name="referenced"/> (leftovers of a crash); how
    /// many. The caller holds the write lock, so no write has a blob between its publication and its commit.
    /// </summary>
    int CollectGarbage(string shard, IReadOnlySet<string> referenced);
}
