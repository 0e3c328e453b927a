using System.Diagnostics;
using Wheelhouse.Storage.Files;
using Wheelhouse.Storage.Sqlite;

namespace Wheelhouse.Storage;

/// <summary>
/// Everything the server stores, behind one door: the metadata (<see cref="IMetadataStore"/>), the blobs
/// (<see cref="IBlobStore"/>) and the served tree (<see cref="IServedTree"/>). Reads go to <see cref="Read"/>; every
/// write is a <see cref="UnitOfWork"/>, which keeps the three in step.
/// </summary>
public sealed class PackageStore : IDisposable
{
    private readonly Action<string> _servedTreeProblem;

    /// <param name="servedTreeProblem">Told when a file cannot get its served name (the server then serves it itself); a bulk
    /// commit links on several threads, so it may be called from several at once.</param>
    public PackageStore(IMetadataStore metadata, IBlobStore blobs, IServedTree tree, Action<string>? servedTreeProblem = null)
    {
        Metadata = metadata;
        Blobs = blobs;
        ServedTree = tree;
        _servedTreeProblem = servedTreeProblem ?? (_ => { });
    }

    /// <summary>
    /// The store of a data directory: the SQLite database, <c>+files</c> and <c>+f-tree</c>, created and migrated as
    /// needed.
    /// </summary>
    public static PackageStore OpenDataDirectory(string dataDirectory, Action<string>? servedTreeProblem = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var blobs = new BlobStore(dataDirectory);
        var tree = new ServedTree(dataDirectory, blobs);
        return new PackageStore(SqliteMetadataStore.OpenIn(dataDirectory), blobs, tree, servedTreeProblem) { DataDirectory = Path.GetFullPath(dataDirectory) };
    }

    /// <summary>
    /// The store of a data directory (<c>+files</c> and <c>+f-tree</c>) with its metadata where <paramref name="storage"/>
    /// says: the data directory's SQLite file, or a PostgreSQL database; created and migrated as needed.
    /// </summary>
    /// <exception cref="StorageUnavailableException">A PostgreSQL database cannot be reached; the message says which and why.</exception>
    /// <exception cref="InvalidOperationException">The database cannot be opened (a newer schema, a broken file).</exception>
    public static PackageStore Open(string dataDirectory, StorageSettings storage, Action<string>? servedTreeProblem = null)
    {
        if (storage.Kind == StorageKind.Sqlite)
        {
            return OpenDataDirectory(dataDirectory, servedTreeProblem);
        }
        Directory.CreateDirectory(dataDirectory);
        var metadata = Postgres.PostgresMetadataStore.Open(storage.ConnectionString!);
        var blobs = new BlobStore(dataDirectory);
        return new PackageStore(metadata, blobs, new ServedTree(dataDirectory, blobs), servedTreeProblem) { DataDirectory = Path.GetFullPath(dataDirectory) };
    }

    /// <summary>False before the first start in <paramref name="dataDirectory"/> made its metadata.</summary>
    public static bool ExistsIn(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, SqliteMetadataStore.FileName));

    /// <summary>False before the first start made the metadata where <paramref name="storage"/> says.</summary>
    /// <exception cref="StorageUnavailableException">A PostgreSQL database cannot be reached; the message says which and why.</exception>
    public static bool ExistsIn(string dataDirectory, StorageSettings storage) => storage.Kind == StorageKind.Sqlite
        ? ExistsIn(dataDirectory)
        : Postgres.PostgresMetadataStore.HasSchema(storage.ConnectionString!);

    /// <summary>
    /// Announcements of every commit by any process sharing the metadata (PostgreSQL's NOTIFY); null when the
    /// metadata is this machine's alone (SQLite).
    /// </summary>
    public ICommitNotifications? CommitNotifications => Metadata as ICommitNotifications;

    /// <summary>The metadata store itself, for copying it to another (<see cref="MetadataCopier"/>).</summary>
    public IMetadataStore Metadata { get; }

    /// <summary>
    /// Called before each commit step: a test stops a write there as a crash would; a bulk write (import) times its
    /// steps with it.
    /// </summary>
    public Action<CommitStep>? BeforeCommitStep { get; set; }

    /// <inheritdoc cref="IMetadataStore.Serial"/>
    public long Serial => Metadata.Serial;

    /// <inheritdoc cref="IMetadataStore.Uuid"/>
    public string Uuid => Metadata.Uuid;

    /// <inheritdoc cref="IMetadataStore.OtherProcessCommitsPending"/>
    public bool OtherProcessCommitsPending => Metadata.OtherProcessCommitsPending;

    /// <inheritdoc cref="IMetadataStore.Read"/>
    public IMetadataReader Read() => Metadata.Read();

    /// <summary>Begins a write; waits for the one before it to finish.</summary>
    public async Task<UnitOfWork> BeginAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var rows = await Metadata.WriteAsync(cancellationToken).ConfigureAwait(false);
        StorageMeter.Record(StorageMeter.Wait, start);
        return new(rows, Blobs, ServedTree, _servedTreeProblem, BeforeCommitStep, Metadata.Uuid);
    }

    /// <summary>The data directory the store was opened in (<see cref="OpenDataDirectory"/>).</summary>
    public string? DataDirectory { get; private init; }

    /// <summary>
    /// A consistent view for export and backup (<see cref="StoreSnapshot"/>): waits for the writer before it, then
    /// holds writers off until it is released, which it is as soon as its blobs are captured.
    /// </summary>
    public async Task<StoreSnapshot> SnapshotAsync(CancellationToken cancellationToken = default) =>
        new(await Metadata.WriteAsync(cancellationToken).ConfigureAwait(false), Metadata, Blobs,
            DataDirectory ?? throw new InvalidOperationException("a snapshot needs a store opened in a data directory"));

    /// <summary>
    /// Puts a blob back that the rows already reference (<c>restore</c>, whose database comes first): copied from
    /// <paramref name="source"/> and published only when its content has <paramref name="sha256"/>; false otherwise.
    /// Not synced one by one: call <see cref="IBlobStore.SyncAll"/> when all are in.
    /// </summary>
    public async Task<bool> RestoreBlobAsync(string source, string sha256, CancellationToken ct)
    {
        await using var blob = Blobs.CreateUnsynced();
        var buffer = new byte[1 << 20];
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            int read;
            while ((read = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                await blob.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }
        }
        await blob.FinishAsync().ConfigureAwait(false);
        if (blob.Sha256 != sha256)
        {
            return false;
        }
        blob.Publish();
        return true;
    }

    /// <summary>The served tree, for <c>check</c>.</summary>
    public IServedTree ServedTree { get; }

    /// <summary>The blob store, for <c>check</c>.</summary>
    public IBlobStore Blobs { get; }

    /// <summary>Starts a new blob, for a unit of work to publish (<see cref="UnitOfWork.AddFile"/>).</summary>
    public PendingBlob CreateBlob() => Blobs.Create();

    /// <summary>
    /// Starts a blob of a bulk write (<c>import</c>, <c>restore</c>): not synced on its own; the unit of work that
    /// publishes it syncs all of them at once before its rows commit, so the crash-safe order holds at a fraction of
    /// the cost of one sync per file.
    /// </summary>
    public PendingBlob CreateBulkBlob() => Blobs.CreateUnsynced();

    /// <summary>Where a stored file's content is, for sending it; null when its blob is missing.</summary>
    public string? ContentPath(FileRecord file) => Blobs.PathOf(file.Sha256) is { } path && File.Exists(path) ? path : null;

    /// <summary>
    /// At start-up, before any write: removes the temp files of blobs a crash left unfinished. When other nodes share
    /// the store (<see cref="CommitNotifications"/>), only those untouched for <see cref="SharedTemporaryFileAge"/>: the
    /// others may be their uploads in progress.
    /// </summary>
    public int RemoveUnfinishedBlobs() => Blobs.RemoveTemporaryFiles(CommitNotifications is null ? null : SharedTemporaryFileAge);

    /// <summary>Longer than any upload or mirror download writes without a pause.</summary>
    public static readonly TimeSpan SharedTemporaryFileAge = TimeSpan.FromDays(1);

    /// <summary>
    /// Removes the blobs no row references (a crash between a write's publication and its commit, or its commit and its
    /// collection, leaves them). Safe while serving: each shard of the blob store is compared with the rows under the
    /// write lock, so no write of any process has a blob published but not yet committed meanwhile; and it needs the
    /// memory of one shard's hashes, not of every file's. Returns how many were removed.
    /// </summary>
    public async Task<int> CollectUnreferencedBlobsAsync(CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var shard in Blobs.Shards())
        {
            // Disposed without committing: the lock is all this transaction is for.
            using var writer = await Metadata.WriteAsync(cancellationToken).ConfigureAwait(false);
            removed += Blobs.CollectGarbage(shard, writer.ReferencedBlobs(shard));
        }
        return removed;
    }

    /// <summary>
    /// At start-up, before serving: brings the served tree in step with the rows unless it is known to be; null when
    /// it was, otherwise what was done and how long it took. After a crash, only the names of the commit that was in
    /// flight are checked when the tree's journal accounts for every commit since its marker
    /// (<see cref="Files.ServedTreeJournal"/>); otherwise, or with <paramref name="wholeTree"/> (the rows were replaced
    /// behind the tree's back: restore, import into a used directory), the whole tree is walked.
    /// </summary>
    public (ReconcileReport Report, TimeSpan Took)? ReconcileServedTree(bool wholeTree = false)
    {
        if (!wholeTree && ServedTree.IsInStepWith(Metadata.Serial))
        {
            return null;
        }
        var watch = Stopwatch.StartNew();
        // Other nodes sharing the tree link and unlink names around their commits: under the write lock none is
        // between its unlink and its commit, so no name of a file being deleted is put back, and any journal entry
        // left is a crashed writer's.
        using var reader = CommitNotifications is null ? Metadata.Read() : Metadata.WriteAsync().GetAwaiter().GetResult();
        var report = (wholeTree ? null : ServedTree.Recover(reader, Metadata.Uuid))
            ?? ServedTree.Reconcile(reader.FilesWithSha256Prefix, reader.CoreMetadata);
        ServedTree.MarkInStep(reader.StoredSerial());
        ServedTree.ClearJournal();
        return (report, watch.Elapsed);
    }

    /// <summary>On a clean stop: the tree matches the metadata, so the next start need not reconcile.</summary>
    public void MarkServedTreeInStep() => ServedTree.MarkInStep(Metadata.Serial);

    /// <summary>
    /// Relinks a file the server is about to serve itself because its served name is missing (a crash between commit
    /// and link, a tree removed by hand). Takes the writer lock and checks the row again, so it cannot recreate the
    /// name of a file deleted meanwhile; writes nothing to the metadata.
    /// </summary>
    public async Task RelinkIfMissingAsync(FileRecord file, CancellationToken cancellationToken)
    {
        if (ServedTree.IsLinked(file, withMetadata: file.MetadataSha256 is not null) || !ServedTree.CanServe(file))
        {
            return;
        }
        using var writer = await Metadata.WriteAsync(cancellationToken).ConfigureAwait(false);
        if (writer.File(file.User, file.Index, file.FileName) is { } current && current.Sha256 == file.Sha256
            && !ServedTree.TryLink(current, current.MetadataSha256 is { } m ? writer.CoreMetadata(m) : null, out var problem))
        {
            _servedTreeProblem(problem!);
        }
    }

    public void Dispose() => Metadata.Dispose();
}
