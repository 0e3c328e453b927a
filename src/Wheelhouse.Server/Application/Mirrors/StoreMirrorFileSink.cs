using System.Text.Json.Nodes;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Mirrors;

/// <summary>
/// Mirror files into the store: the fetcher writes a <see cref="PendingBlob"/>; a verified file is recorded for the
/// mirror index (release row if missing, file row) as one unit of work, which publishes the blob and links the served
/// name.
/// </summary>
public sealed class StoreMirrorFileSink(PackageStore store, IndexEntry mirror, string project, string version, TimeProvider time)
    : IMirrorFileSink
{
    public IMirrorPendingFile Begin() => new Pending(store.CreateBlob());

    public async Task CommitAsync(IMirrorPendingFile file, VerifiedMirrorFile verified, CancellationToken cancellationToken)
    {
        var blob = ((Pending)file).Blob;
        using var work = await store.BeginAsync(cancellationToken);
        if (work.Rows.Release(mirror.User, mirror.Name, project, version) is null)
        {
            work.PutRelease(new ReleaseRecord(mirror.User, mirror.Name, project, version, project,
                new JsonObject { ["name"] = project, ["version"] = version }.ToJsonString(), time.GetUtcNow()));
        }
        var now = time.GetUtcNow();
        var record = new FileRecord(mirror.User, mirror.Name, verified.Filename, project, version, FileKind.ReleaseFile, verified.Sha256,
            verified.Size, now, verified.Link.RequiresPython ?? "", null, FileLog.Mirror(now, mirror.IndexPath.ToString()));
        work.AddFile(record, blob); // fetched and hash-checked: from now on nginx serves it from disk
        work.Commit();
    }

    private sealed class Pending(PendingBlob blob) : IMirrorPendingFile
    {
        public PendingBlob Blob => blob;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => blob.WriteAsync(data, cancellationToken);

        public Task FinishAsync() => blob.FinishAsync();

        public ValueTask DisposeAsync() => blob.DisposeAsync();
    }
}
