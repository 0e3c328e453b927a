using System.Security.Cryptography;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// <c>check</c> (devpi's <c>devpi-fsck</c>): every referenced blob exists and its bytes have its sha256, and the served
/// tree has exactly the names the rows give (none missing, none stray). With repair, the served tree is reconciled
/// (relinked, strays removed) while the store's write lock is held; a missing or corrupted blob cannot be fixed
/// without another copy of it and is reported as such.
/// </summary>
public sealed class ConsistencyCheck(PackageStore store)
{
    public sealed record Report(IReadOnlyList<string> Problems, IReadOnlyList<string> Repaired, IReadOnlyList<string> NotRepaired, int Blobs, long Bytes);

    public async Task<Report> RunAsync(bool repair, Action<long>? hashed, CancellationToken ct)
    {
        var problems = new List<string>();
        var repaired = new List<string>();
        var notRepaired = new List<string>();
        IReadOnlyList<FileRecord> files;
        using (var rows = store.Read())
        {
            files = rows.AllFiles();
        }
        long bytes = 0;
        var blobs = files.GroupBy(f => f.Sha256, StringComparer.Ordinal).ToList();
        foreach (var group in blobs)
        {
            var names = string.Join(", ", group.Select(f => $"{f.User}/{f.Index}/{f.FileName}"));
            var path = store.Blobs.PathOf(group.Key);
            if (path is null || !File.Exists(path))
            {
                Unfixable($"missing blob {group.Key} (of {names})", "restore it from a backup, or delete and upload the file again");
                continue;
            }
            string actual;
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            {
                actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                bytes += stream.Length;
                hashed?.Invoke(stream.Length);
            }
            if (actual != group.Key)
            {
                Unfixable($"corrupted blob {group.Key} (of {names}): its content has sha256 {actual}", "restore it from a backup, or delete and upload the file again");
            }
        }
        var audit = store.ServedTree.Audit(files);
        problems.AddRange(audit.Missing.Select(n => $"served tree: missing name {n}"));
        problems.AddRange(audit.Stray.Select(n => $"served tree: stray name {n} (no file has it)"));
        if (repair && (audit.Missing.Count > 0 || audit.Stray.Count > 0))
        {
            using var snapshot = await store.SnapshotAsync(ct);
            var report = store.ServedTree.Reconcile(snapshot.Rows.FilesWithSha256Prefix, snapshot.Rows.CoreMetadata);
            repaired.Add($"served tree reconciled: {report.Linked} names linked, {report.Removed} removed");
            notRepaired.AddRange(report.Problems.Select(p => $"served tree: {p}"));
        }
        return new Report(problems, repaired, notRepaired, blobs.Count, bytes);

        void Unfixable(string problem, string remedy)
        {
            problems.Add(problem);
            if (repair)
            {
                notRepaired.Add($"{problem}: cannot be repaired here; {remedy}");
            }
        }
    }
}
