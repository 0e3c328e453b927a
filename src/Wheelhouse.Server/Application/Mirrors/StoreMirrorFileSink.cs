using System.Text.Json.Nodes;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Mirrors;

/// <summary>
/// Mirror files into the store: the fetcher writes a <see cref="PendingBlob"/>; a verified file is recorded for the
/// mirror index (release row if missing, file row) in a unit of work it shares with the files mirrored at about the same
/// time (<see cref="MirrorFileCommits"/>), which publishes the blob and links the served name. The file's own core
/// metadata (<see cref="ReleaseFileMetadata"/>) becomes the release's metadata (unless a richer one is there) and, for a
/// wheel, its PEP 658 <c>.metadata</c>, as for an uploaded file.
/// </summary>
public sealed class StoreMirrorFileSink(PackageStore store, MirrorFileCommits commits, IndexEntry mirror, string project, string version, TimeProvider time)
    : IMirrorFileSink
{
    public IMirrorPendingFile Begin() => new Pending(store);

    public async Task CommitAsync(IMirrorPendingFile file, VerifiedMirrorFile verified, CancellationToken cancellationToken)
    {
        var blob = ((Pending)file).Blob;
        // The file's own metadata, read before the write begins (an upstream's file that cannot be read is still its
        // file: it keeps the name and version the index page gave).
        var metadata = DistributionFileName.TryParse(verified.Filename, out var dist, out _) ? ReleaseFileMetadata.Read(blob.TempPath, dist, out _) : null;
        cancellationToken.ThrowIfCancellationRequested();
        await commits.CommitAsync(work => Add(work, blob, verified, metadata));
    }

    public void Hurry() => commits.Hurry();

    /// <summary>Puts the file's rows and blob into <paramref name="work"/>; false when it is stored already.</summary>
    private bool Add(UnitOfWork work, PendingBlob blob, VerifiedMirrorFile verified, ReleaseFileMetadata? metadata)
    {
        if (work.Rows.File(mirror.User, mirror.Name, verified.Filename) is { } stored && stored.Sha256 == verified.Sha256 && store.ContentPath(stored) is not null)
        {
            // Another node (or a request this node's single flight did not join) stored the very same file meanwhile:
            // recording it again would only be a second serial and a second history entry for one file. Nothing is
            // added and the pending blob is discarded. (A row whose content went missing is recorded again: that
            // puts the blob back.)
            return false;
        }
        if (work.Rows.Release(mirror.User, mirror.Name, project, version) is not { } release
            || (metadata is not null && ReleaseFileMetadata.IsMinimal(release.MetadataJson)))
        {
            var verdata = metadata?.Verdata ?? new JsonObject { ["name"] = project, ["version"] = version };
            work.PutRelease(new ReleaseRecord(mirror.User, mirror.Name, project, version, project, verdata.ToJsonString(), time.GetUtcNow()));
        }
        var now = time.GetUtcNow();
        var record = new FileRecord(mirror.User, mirror.Name, verified.Filename, project, version, FileKind.ReleaseFile, verified.Sha256,
            verified.Size, now, verified.Link.RequiresPython ?? metadata?.RequiresPython ?? "", metadata?.CoreMetadataSha256,
            FileLog.Mirror(now, mirror.IndexPath.ToString()));
        work.AddFile(record, blob, metadata?.CoreMetadata); // fetched and hash-checked: from now on nginx serves it from disk
        return true;
    }

    /// <summary>
    /// A mirrored file being received. Up to <see cref="InMemoryUpTo"/> bytes are kept in memory and the blob's temp file
    /// is made only at <see cref="FinishAsync"/>, which the fetcher calls once the client has the hash-checked file:
    /// creating a file is the costliest step of a small download on a busy file system, and the client need not wait
    /// for it. A larger file goes to its temp file as it comes, as before.
    /// </summary>
    private sealed class Pending(PackageStore store) : IMirrorPendingFile
    {
        private const int InMemoryUpTo = 1 << 19;
        private readonly MemoryStream _head = new();
        private PendingBlob? _blob;

        public PendingBlob Blob => _blob ?? throw new InvalidOperationException("the file is not finished");

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            if (_blob is null && _head.Length + data.Length <= InMemoryUpTo)
            {
                _head.Write(data.Span);
                return;
            }
            await (_blob ?? await StartBlobAsync(cancellationToken)).WriteAsync(data, cancellationToken);
        }

        public async Task FinishAsync()
        {
            await (_blob ?? await StartBlobAsync(CancellationToken.None)).FinishAsync();
        }

        private async Task<PendingBlob> StartBlobAsync(CancellationToken cancellationToken)
        {
            _blob = store.CreateBlob();
            await _blob.WriteAsync(_head.GetBuffer().AsMemory(0, (int)_head.Length), cancellationToken);
            _head.SetLength(0);
            return _blob;
        }

        public ValueTask DisposeAsync() => _blob?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
