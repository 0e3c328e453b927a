using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// Writes a checked <see cref="DevpiExport"/> into a store as one unit of work: users (password hashes as devpi
/// stored them), indexes, releases with their recorded metadata, and files, each copied into the blob store while its
/// sha256 is checked against the export. Nothing is visible until the single commit at the end; any failure (a
/// mismatching file, a full disk) rolls everything back.
/// </summary>
public sealed class DevpiImporter(PackageStore store, TransferProgress progress)
{
    private const int CopyBuffer = 1 << 20;

    /// <summary>Imports everything; throws <see cref="ImportFailedException"/> naming the file or problem, having changed nothing.</summary>
    public async Task<long> ImportAsync(DevpiExport export, CancellationToken ct)
    {
        var blobs = new List<PendingBlob>();
        try
        {
            using var work = await store.BeginAsync(ct);
            foreach (var user in export.Users)
            {
                var existing = work.Rows.User(user.Name);
                var record = new UserRecord(user.Name, user.PasswordHash ?? "", user.Email, user.Title, user.Description, user.Created);
                if (existing is null)
                {
                    work.AddUser(record);
                }
                else
                {
                    work.ChangeUser(record with { Groups = existing.Groups });
                }
            }
            var existingIndexes = work.Rows.Indexes().Select(i => (i.User, i.Name)).ToHashSet();
            foreach (var index in export.Indexes)
            {
                var record = new IndexRecord(index.Path.User.Value, index.Path.Index.Value, IndexEntry.ToStored(index.Config));
                if (existingIndexes.Contains((record.User, record.Name)))
                {
                    work.ChangeIndex(record);
                }
                else
                {
                    work.AddIndex(record);
                }
            }
            foreach (var index in export.Indexes)
            {
                var (user, name) = (index.Path.User.Value, index.Path.Index.Value);
                foreach (var release in index.Releases)
                {
                    work.PutRelease(new ReleaseRecord(user, name, release.Project, release.Version, release.DisplayName,
                        release.Verdata.ToJsonString(), Created(index, release)));
                }
                foreach (var file in index.Files)
                {
                    if (work.Rows.Release(user, name, file.Project, file.Version) is null)
                    {
                        work.PutRelease(new ReleaseRecord(user, name, file.Project, file.Version, file.Project,
                            new JsonObject { ["name"] = file.Project, ["version"] = file.Version }.ToJsonString(), file.LastModified));
                    }
                    var blob = store.CreateBulkBlob();
                    blobs.Add(blob);
                    await CopyCheckedAsync(file, blob, ct);
                    var (requiresPython, metadata) = file.Kind == FileKind.ReleaseFile ? Inspect(file, work.Rows.Release(user, name, file.Project, file.Version)!) : ("", null);
                    work.AddFile(new FileRecord(user, name, file.FileName, file.Project, file.Version, file.Kind, blob.Sha256, blob.Length,
                        file.LastModified, requiresPython, metadata?.Sha256, file.LogJson), blob, metadata?.Content);
                    progress.FileDone(blob.Length);
                }
            }
            ct.ThrowIfCancellationRequested();
            return work.Commit();
        }
        finally
        {
            foreach (var blob in blobs)
            {
                await blob.DisposeAsync();
            }
        }
    }

    /// <summary>When the release first appeared: its oldest file, else now.</summary>
    private static DateTimeOffset Created(ExportedIndex index, ExportedRelease release) =>
        index.Files.Where(f => f.Project == release.Project && f.Version == release.Version).Select(f => (DateTimeOffset?)f.LastModified).Min()
        ?? DateTimeOffset.UtcNow;

    private static async Task CopyCheckedAsync(ExportedFile file, PendingBlob blob, CancellationToken ct)
    {
        var buffer = new byte[CopyBuffer];
        await using (var source = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                await blob.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        await blob.FinishAsync();
        if (file.Sha256 is { } expected && expected != blob.Sha256)
        {
            throw new ImportFailedException(
                $"{file.RelPath}: its content does not match the sha256 the export recorded (recorded {expected}, file has {blob.Sha256}); "
                + "the export is damaged: export again, or restore that file");
        }
    }

    /// <summary>A wheel's core metadata for PEP 658, and requires_python; from the recorded metadata when the file cannot be read.</summary>
    private static (string RequiresPython, (string Sha256, byte[] Content)? Metadata) Inspect(ExportedFile file, ReleaseRecord release)
    {
        var recorded = (JsonNode.Parse(release.MetadataJson) as JsonObject)?["requires_python"]?.ToString() ?? "";
        if (!DistributionFileName.TryParse(file.FileName, out var name, out _))
        {
            return (recorded, null);
        }
        using var stream = File.OpenRead(file.Path);
        if (DistributionInspector.Inspect(stream, name, InspectionLimits.Default) is not InspectionResult.Success ok)
        {
            return (recorded, null);
        }
        var requiresPython = ok.Metadata.RequiresPython ?? recorded;
        return name.IsWheel ? (requiresPython, (Convert.ToHexStringLower(SHA256.HashData(ok.RawMetadata)), ok.RawMetadata)) : (requiresPython, null);
    }
}

/// <summary>An import stopped by something in the export (the message names it); nothing was changed.</summary>
public sealed class ImportFailedException(string message) : Exception(message);
