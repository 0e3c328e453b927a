using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Storage;
using Wheelhouse.Storage.Files;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// A backup directory: <c>wheelhouse.sqlite</c> (the database, copied online), <c>blobs/ab/cdef…</c> (every blob it
/// references, hard-linked where the file system allows, copied otherwise), the data directory's <c>.secret</c>, and
/// last of all <c>BACKUP-COMPLETE</c> (serial, counts, time), written only after everything before it is durable:
/// a directory without it is an interrupted backup, and <c>restore</c> refuses it.
/// </summary>
public static class Backup
{
    public const string CompleteMarker = "BACKUP-COMPLETE";
    public const string DatabaseName = "wheelhouse.sqlite";
    public const string BlobsDirectory = "blobs";
    public const string SecretName = ".secret";

    public static string BlobPath(string backup, string sha256) => Path.Combine(backup, BlobsDirectory, sha256[..2], sha256[2..]);

    /// <summary>Writes the backup into <paramref name="target"/> (new or empty); returns its serial, blob count and bytes.</summary>
    public static async Task<(long Serial, int Blobs, long Bytes)> WriteAsync(PackageStore store, string dataDirectory, string target,
        Func<int, long, TransferProgress> progressFor, CancellationToken ct)
    {
        long serial;
        int count;
        long bytes = 0;
        TransferProgress progress;
        using (var snapshot = await store.SnapshotAsync(ct))
        {
            serial = snapshot.Serial;
            snapshot.CopyMetadataTo(Path.Combine(target, DatabaseName));
            var blobs = snapshot.Rows.AllFiles().GroupBy(f => f.Sha256, StringComparer.Ordinal).Select(g => g.First()).ToList();
            count = blobs.Count;
            progress = progressFor(count, blobs.Sum(b => b.Size));
            foreach (var blob in blobs)
            {
                if (!snapshot.Capture(blob.Sha256, BlobPath(target, blob.Sha256)))
                {
                    throw new IOException($"blob {blob.Sha256} ({blob.User}/{blob.Index}/{blob.FileName}) is missing from the store; run 'wheelhouse-server check'");
                }
                bytes += blob.Size;
                if (snapshot.StagedCount == 0)
                {
                    progress.FileDone(blob.Size);
                }
            }
            await snapshot.ReleaseAndCopyAsync(progress.FileDone, ct);
        }
        var secret = Path.Combine(dataDirectory, SecretName);
        if (File.Exists(secret))
        {
            File.Copy(secret, Path.Combine(target, SecretName));
        }
        Durability.SyncFileSystem(target);
        var marker = new JsonObject
        {
            ["serial"] = serial,
            ["blobs"] = count,
            ["bytes"] = bytes,
            ["finished"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["wheelhouse_server"] = Hosting.ServerVersion.Current,
        };
        var temp = Path.Combine(target, CompleteMarker + ".tmp");
        await File.WriteAllTextAsync(temp, marker.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        File.Move(temp, Path.Combine(target, CompleteMarker));
        Durability.SyncFileSystem(target);
        progress.Done();
        return (serial, count, bytes);
    }

    /// <summary>Restores a complete backup into an empty data directory; throws <see cref="ImportFailedException"/> when the backup is damaged.</summary>
    public static async Task<long> RestoreAsync(string backup, string dataDirectory, Func<int, long, TransferProgress> progressFor, CancellationToken ct)
    {
        Directory.CreateDirectory(dataDirectory);
        File.Copy(Path.Combine(backup, DatabaseName), Path.Combine(dataDirectory, DatabaseName));
        var secret = Path.Combine(backup, SecretName);
        if (File.Exists(secret))
        {
            File.Copy(secret, Path.Combine(dataDirectory, SecretName));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(dataDirectory, SecretName), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        using var store = PackageStore.OpenDataDirectory(dataDirectory);
        List<string> needed;
        using (var rows = store.Read())
        {
            needed = rows.ReferencedBlobs().Order(StringComparer.Ordinal).ToList();
        }
        var sizes = needed.Select(sha => new FileInfo(BlobPath(backup, sha))).ToList();
        var missing = sizes.Where(f => !f.Exists).Select(f => f.FullName).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFailedException($"the backup lacks {missing.Count} blob(s) its database references, e.g. {missing[0]}");
        }
        var progress = progressFor(needed.Count, sizes.Sum(f => f.Length));
        foreach (var sha in needed)
        {
            var source = BlobPath(backup, sha);
            if (!await store.RestoreBlobAsync(source, sha, ct))
            {
                throw new ImportFailedException($"{source}: its content does not have the sha256 its name says; the backup is damaged");
            }
            progress.FileDone(new FileInfo(source).Length);
        }
        store.Blobs.SyncAll();
        store.ReconcileServedTree(wholeTree: true); // the rows were replaced: no journal covers that
        progress.Done();
        return store.Serial;
    }
}
