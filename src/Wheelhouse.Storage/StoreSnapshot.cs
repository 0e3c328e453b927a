using Wheelhouse.Storage.Files;

namespace Wheelhouse.Storage;

/// <summary>
/// A consistent view of a running store for <c>export</c> and <c>backup</c>: it holds the store's write lock (in
/// every process: SQLite's immediate transaction), so no commit lands while it reads the rows, copies the metadata
/// and captures the blobs those rows reference. Capturing is a hard link (instant, no space); a target on another
/// file system gets a link in a staging directory inside the data directory instead, copied once the lock is released
/// (<see cref="ReleaseAndCopyAsync"/>), so writers wait for links only, never for copies. Blobs are immutable and a
/// captured one survives its deletion from the store, so the copy is exactly the view.
/// </summary>
public sealed class StoreSnapshot : IDisposable
{
    private readonly IMetadataWriter _rows;
    private readonly IMetadataStore _store;
    private readonly BlobCapture _capture;
    private readonly string _staging;
    private readonly List<(string Staged, string Target)> _toCopy = [];
    private bool _released;

    internal StoreSnapshot(IMetadataWriter rows, IMetadataStore store, IBlobStore blobs, string dataDirectory)
    {
        _rows = rows;
        _store = store;
        _capture = new BlobCapture(blobs);
        _staging = Path.Combine(dataDirectory, "+files", "snapshot-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>The rows as of the snapshot.</summary>
    public IMetadataReader Rows => _rows;

    /// <summary>The serial the snapshot shows.</summary>
    public long Serial => _rows.StoredSerial();

    /// <inheritdoc cref="IMetadataStore.CopyTo"/>
    public void CopyMetadataTo(string path) => _store.CopyTo(path);

    /// <summary>Gives <paramref name="target"/> (a new path) the content of the blob; false when the blob is missing from the store.</summary>
    public bool Capture(string sha256, string target)
    {
        // One system call per blob once its directory is made: a snapshot captures every blob while writers wait, and
        // a backup runs beside a serving server.
        switch (_capture.TryLink(sha256, target))
        {
            case BlobCapture.Outcome.Linked:
                return true;
            case BlobCapture.Outcome.Missing:
                return false;
            default:
                var blob = _capture.PathOf(sha256)!;
                Directory.CreateDirectory(_staging);
                var staged = Path.Combine(_staging, _toCopy.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (Posix.HardLink(blob, staged) != 0)
                {
                    File.Copy(blob, staged); // rare: the data directory itself refuses links
                }
                _toCopy.Add((staged, target));
                return true;
        }
    }

    /// <summary>Releases the write lock, then copies what had to be staged; <paramref name="copied"/> is told each file's size.</summary>
    public async Task ReleaseAndCopyAsync(Action<long> copied, CancellationToken ct)
    {
        Release();
        try
        {
            foreach (var (staged, target) in _toCopy)
            {
                await using (var source = new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
                await using (var destination = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                {
                    await source.CopyToAsync(destination, ct).ConfigureAwait(false);
                }
                copied(new FileInfo(target).Length);
            }
        }
        finally
        {
            DeleteStaging();
        }
    }

    /// <summary>How many captured files wait to be copied after the release.</summary>
    public int StagedCount => _toCopy.Count;

    private void Release()
    {
        if (!_released)
        {
            _released = true;
            _rows.Dispose(); // rolls back: a snapshot writes nothing
        }
    }

    private void DeleteStaging()
    {
        if (Directory.Exists(_staging))
        {
            Directory.Delete(_staging, recursive: true);
        }
    }

    public void Dispose()
    {
        Release();
        DeleteStaging();
    }
}
