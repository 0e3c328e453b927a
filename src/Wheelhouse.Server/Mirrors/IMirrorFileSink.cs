namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// Where mirror files go. The server implements it over its content-addressed blob store: <see cref="Begin"/> wraps
/// <c>BlobStore.Create()</c> (a <c>PendingBlob</c> already has <c>WriteAsync</c> and <c>FinishAsync</c>), and
/// <see cref="CommitAsync"/> publishes the blob and records the file for the mirror index in one transaction.
/// </summary>
public interface IMirrorFileSink
{
    /// <summary>Starts a file; the fetcher writes the bytes to it as they arrive from the upstream.</summary>
    IMirrorPendingFile Begin();

    /// <summary>
    /// Called once the whole file is written, finished (fsynced) and its hash matched the upstream's: make it durable
    /// under <see cref="VerifiedMirrorFile.Sha256"/> and record it. Throwing means nothing was stored. A pending file
    /// that is disposed without being committed (hash mismatch, broken download) must leave nothing behind.
    /// </summary>
    Task CommitAsync(IMirrorPendingFile file, VerifiedMirrorFile verified, CancellationToken cancellationToken);

    /// <summary>A caller is about to wait until a file in flight is stored: a store that batches commits should not hold it back.</summary>
    void Hurry();
}

/// <summary>A file being written (a temp file on the blob store's file system).</summary>
public interface IMirrorPendingFile : IAsyncDisposable
{
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Flushes everything to disk (fsync); no write follows.</summary>
    Task FinishAsync();
}

/// <param name="Link">The upstream link the file came from (its project page entry: requires-python, yanked, ...).</param>
public sealed record VerifiedMirrorFile(string Filename, string Sha256, long Size, UpstreamLink Link);

/// <summary>What a file fetch produced for one caller.</summary>
/// <param name="StreamedToCaller">
/// True when this caller's client stream received the bytes while they were downloaded. False when the caller joined a
/// download already running for someone else: it must serve the now stored file from the blob store.
/// </param>
public sealed record MirrorFileReceipt(string Filename, string Sha256, long Size, bool StreamedToCaller);
