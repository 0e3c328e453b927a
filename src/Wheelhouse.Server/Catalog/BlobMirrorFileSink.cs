using System.Text.Json.Nodes;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Catalog;

/// <summary>
/// Mirror files into the content-addressed blob store: the fetcher writes a <see cref="PendingBlob"/>; a verified file
/// is published and recorded for the mirror index (release row if missing, file row) in one transaction, then linked
/// into the served tree.
/// </summary>
public sealed class BlobMirrorFileSink(MetadataDatabase db, BlobStore blobs, ServedFiles served, IndexEntry mirror, string project, string version, TimeProvider time)
    : IMirrorFileSink
{
    public IMirrorPendingFile Begin() => new Pending(blobs.Create());

    public async Task CommitAsync(IMirrorPendingFile file, VerifiedMirrorFile verified, CancellationToken cancellationToken)
    {
        var blob = ((Pending)file).Blob;
        using var writer = await db.WriteAsync(cancellationToken);
        if (writer.Release(mirror.User, mirror.Name, project, version) is null)
        {
            writer.UpsertRelease(new ReleaseRecord(mirror.User, mirror.Name, project, version, project,
                new JsonObject { ["name"] = project, ["version"] = version }.ToJsonString(), time.GetUtcNow()));
        }
        var now = time.GetUtcNow();
        var log = new JsonArray(new JsonObject
        {
            ["what"] = "mirror",
            ["when"] = new JsonArray(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second),
            ["dst"] = mirror.Path,
        });
        var record = new FileRecord(mirror.User, mirror.Name, verified.Filename, project, version, FileRecord.ReleaseFile, verified.Sha256,
            verified.Size, now, verified.Link.RequiresPython ?? "", null, log.ToJsonString());
        writer.UpsertFile(record);
        blob.Publish(); // in place before the row that makes it visible
        writer.Commit();
        served.Link(writer, record); // fetched and hash-checked: from now on nginx serves it from disk
    }

    private sealed class Pending(PendingBlob blob) : IMirrorPendingFile
    {
        public PendingBlob Blob => blob;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => blob.WriteAsync(data, cancellationToken);

        public Task FinishAsync() => blob.FinishAsync();

        public ValueTask DisposeAsync() => blob.DisposeAsync();
    }
}
