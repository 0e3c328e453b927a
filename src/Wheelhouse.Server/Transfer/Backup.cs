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

    /// <summary>
    /// Writes the backup into <paramref name="target"/> (new or empty); returns its serial, blob count and bytes, and how
    /// long writers were held off.
    /// Most blobs are captured first, without holding writers off and at the <paramref name="pacer"/>'s pace: the
    /// blobs the rows reference at that moment. Then the snapshot (writers wait) copies the database and captures only
    /// what was uploaded meanwhile, and removes what was deleted meanwhile: the result is exactly the snapshot's.
    /// </summary>
    public static async Task<(long Serial, int Blobs, long Bytes, TimeSpan HeldOff)> WriteAsync(PackageStore store, string dataDirectory, string target,
        Pacer pacer, Func<int, long, TransferProgress> progressFor, CancellationToken ct)
    {
        List<FileRecord> early;
        using (var rows = store.Read())
        {
            early = DistinctBlobs(rows.AllFiles());
        }
        var progress = progressFor(early.Count, early.Sum(b => b.Size));
        var captured = await CaptureEarlyAsync(new BlobCapture(store.Blobs), early, target, pacer, progress, ct);
        long serial;
        int count;
        long bytes;
        TimeSpan heldOff;
        using (var snapshot = await store.SnapshotAsync(ct))
        {
            var held = System.Diagnostics.Stopwatch.StartNew();
            serial = snapshot.Serial;
            snapshot.CopyMetadataTo(Path.Combine(target, DatabaseName));
            // Hashes and totals only, not every row again: writers wait for this part.
            var referenced = snapshot.Rows.ReferencedBlobs();
            (var total, bytes) = snapshot.Rows.BlobTotals();
            count = (int)total;
            foreach (var sha in referenced)
            {
                if (!captured.Remove(sha) && !snapshot.Capture(sha, BlobPath(target, sha)))
                {
                    var row = snapshot.Rows.AllFiles().First(f => f.Sha256 == sha);
                    throw new IOException($"blob {sha} ({row.User}/{row.Index}/{row.FileName}) is missing from the store; run 'wheelhouse-server check'");
                }
            }
            heldOff = held.Elapsed;
            await snapshot.ReleaseAndCopyAsync(_ => { }, ct);
        }
        foreach (var deleted in captured)
        {
            File.Delete(BlobPath(target, deleted)); // deleted from the store after the early capture: not in the snapshot
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
        return (serial, count, bytes, heldOff);
    }

    private static List<FileRecord> DistinctBlobs(IEnumerable<FileRecord> files) =>
        files.GroupBy(f => f.Sha256, StringComparer.Ordinal).Select(g => g.First()).ToList();

    /// <summary>Links (or, on another file system, copies) each blob, pacing the work; the set of those captured.</summary>
    private static async Task<HashSet<string>> CaptureEarlyAsync(BlobCapture capture, List<FileRecord> blobs, string target, Pacer pacer,
        TransferProgress progress, CancellationToken ct)
    {
        var captured = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new byte[1 << 20];
        foreach (var blob in blobs)
        {
            var path = BlobPath(target, blob.Sha256);
            var outcome = capture.TryLink(blob.Sha256, path);
            if (outcome == BlobCapture.Outcome.NotLinkable && !await TryCopyAsync(capture.PathOf(blob.Sha256)!, path, buffer, pacer, ct))
            {
                outcome = BlobCapture.Outcome.Missing;
            }
            if (outcome != BlobCapture.Outcome.Missing) // deleted since the rows were read: the snapshot decides
            {
                captured.Add(blob.Sha256);
            }
            progress.FileDone(blob.Size);
            await pacer.StepAsync(ct);
        }
        return captured;
    }

    /// <summary>Copies a blob in paced chunks; false when it is gone (deleted since the rows were read).</summary>
    private static async Task<bool> TryCopyAsync(string source, string target, byte[] buffer, Pacer pacer, CancellationToken ct)
    {
        FileStream input;
        try
        {
            input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        await using (input)
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            int read;
            while ((read = await input.ReadAsync(buffer, ct)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), ct);
                await pacer.StepAsync(ct);
            }
        }
        return true;
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
