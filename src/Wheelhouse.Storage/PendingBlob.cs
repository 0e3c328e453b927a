using System.Security.Cryptography;

using Wheelhouse.Storage.Files;

namespace Wheelhouse.Storage;

/// <summary>A blob being written: hashes while it streams to a temp file, is published by content hash on commit.</summary>
public sealed class PendingBlob : IAsyncDisposable
{
    private readonly BlobStore _store;
    private readonly FileStream _stream;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _published;

    internal PendingBlob(BlobStore store, string tempPath, bool synced)
    {
        _store = store;
        Synced = synced;
        TempPath = tempPath;
        _stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
    }

    public string TempPath { get; }

    public long Length { get; private set; }

    public string Sha256 { get; private set; } = "";

    /// <summary>MD5 of the finished content, read back from disk: only a client that sends no sha256 needs it.</summary>
    public async Task<string> ComputeMd5Async(CancellationToken ct)
    {
        await using var stream = new FileStream(TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(stream, ct).ConfigureAwait(false));
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        _sha256.AppendData(data.Span);
        Length += data.Length;
        await _stream.WriteAsync(data, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes without leaving the calling thread: for bulk writers (import, restore) that copy many files on their own
    /// worker threads, where an asynchronous write's hand-off to the thread pool costs more than the write.
    /// </summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        Length += data.Length;
        _stream.Write(data);
    }

    /// <summary>The synchronous <see cref="FinishAsync"/>, for the writers of <see cref="Write"/>.</summary>
    public void Finish()
    {
        _stream.Flush(flushToDisk: Synced);
        if (!Synced)
        {
            Posix.StartWriteback(_stream.SafeFileHandle);
        }
        _stream.Dispose();
        Sha256 = Convert.ToHexStringLower(_sha256.GetHashAndReset());
    }

    /// <summary>False for a blob of a bulk write, which <see cref="IBlobStore.SyncAll"/> makes durable with the others.</summary>
    public bool Synced { get; }

    /// <summary>Flushes to disk and fixes the digests; the content can then be inspected through <see cref="TempPath"/>.</summary>
    public async Task FinishAsync()
    {
        await _stream.FlushAsync().ConfigureAwait(false);
        if (Synced)
        {
            _stream.Flush(flushToDisk: true);
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
        Sha256 = Convert.ToHexStringLower(_sha256.GetHashAndReset());
    }

    /// <summary>Atomically moves the finished content to its content-addressed path (a unit of work does, before its commit).</summary>
    internal void Publish()
    {
        _store.Publish(TempPath, Sha256, Synced);
        _published = true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _sha256.Dispose();
        if (!_published && File.Exists(TempPath))
        {
            File.Delete(TempPath);
        }
    }
}
