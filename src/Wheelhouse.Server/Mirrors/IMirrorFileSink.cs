namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// Where verified mirror files go. The server implements it with its content-addressed blob store: move
/// <see cref="VerifiedMirrorFile.TempPath"/> to the blob path of <see cref="VerifiedMirrorFile.Sha256"/> (a rename:
/// <see cref="TempDirectory"/> is on the same file system) and record the file for the mirror index in one transaction.
/// </summary>
public interface IMirrorFileSink
{
    /// <summary>Where downloads are written before they are verified (same file system as the blobs).</summary>
    string TempDirectory { get; }

    /// <summary>
    /// Takes a fully written, fsynced file whose hash matched the upstream's. The sink may move the temp file away;
    /// whatever is left at the temp path afterwards is deleted by the fetcher. Throwing means nothing was stored.
    /// </summary>
    Task CommitAsync(VerifiedMirrorFile file, CancellationToken cancellationToken);
}

/// <param name="Link">The upstream link the file came from (its project page entry: requires-python, yanked, ...).</param>
public sealed record VerifiedMirrorFile(string TempPath, string Filename, string Sha256, long Size, UpstreamLink Link);

/// <summary>What a file fetch produced for one caller.</summary>
/// <param name="StreamedToCaller">
/// True when this caller's client stream received the bytes while they were downloaded. False when the caller joined a
/// download already running for someone else: it must serve the now stored file from the blob store.
/// </param>
public sealed record MirrorFileReceipt(string Filename, string Sha256, long Size, bool StreamedToCaller);
