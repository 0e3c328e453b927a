using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// Writes a checked <see cref="DevpiExport"/> into a store as one unit of work: users (password hashes as devpi
/// stored them), indexes, releases with their recorded metadata, and files. The files are first copied into the blob
/// store as bulk blobs (unsynced, unreferenced, invisible) by several workers at once, each file read once and hashed
/// while it is copied, its sha256 checked against the export, while this thread, holding the writer lock (the data
/// directory is new: nobody else writes), writes each copied file's row; the commit then makes all blobs durable with
/// one sync before the rows refer to them. Nothing is visible until that single commit; any failure (a mismatching
/// file, a full disk) rolls the rows back, deletes the copied blobs and changes nothing.
/// </summary>
public sealed class DevpiImporter(PackageStore store, TransferProgress progress, PhaseClock? phases = null)
{
    private const int CopyBuffer = 1 << 20;

    /// <summary>How often the rows of the files copied so far are written during the copy.</summary>
    private static readonly TimeSpan RowBatchInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Files up to this size are read whole into a worker's buffer (see <see cref="CopyChecked"/>).</summary>
    private const int WholeFileLimit = 16 << 20;

    /// <summary>
    /// Files copied at once: copying from the page cache is mostly system calls (open, create, write) that wait on the
    /// file system rather than the CPU, so a few more workers than cores keep the disk busy.
    /// </summary>
    private static readonly int Workers = Math.Clamp(Environment.ProcessorCount * 2, 2, 8);

    /// <summary>Imports everything; throws <see cref="ImportFailedException"/> naming the file or problem, having changed nothing.</summary>
    public async Task<long> ImportAsync(DevpiExport export, CancellationToken ct)
    {
        var files = export.Indexes.SelectMany(i => i.Files.Select(f => (Index: i, File: f))).ToList();
        var staged = new StagedFile?[files.Count];
        try
        {
            var recorded = export.Indexes.SelectMany(i => i.Releases.Select(r => (i.Path, Release: r)))
                .GroupBy(x => (x.Path, x.Release.Project, x.Release.Version))
                .ToDictionary(g => g.Key, g => g.Last().Release.Verdata["requires_python"]?.ToString() ?? "");
            phases?.Start("copying files and writing rows");
            using var work = await store.BeginAsync(ct);
            var releases = WriteUsersIndexesAndReleases(export, work);
            var copied = new bool[files.Count];
            var copying = Task.Run(() => CopyAll(files, staged, recorded, copied, ct), ct);
            // The rows are written while the files are still being copied, in the export's order (a later file of the
            // same name replaces an earlier one, as it did in devpi), a batch every few milliseconds: waking for each
            // file would cost more CPU than its row.
            var next = 0;
            while (next < files.Count)
            {
                for (; next < files.Count && Volatile.Read(ref copied[next]); next++)
                {
                    AddFile(work, files[next].Index, files[next].File, staged[next]!, releases);
                }
                if (copying.IsCompleted)
                {
                    await copying; // throws what stopped the copy; otherwise every file is copied by now
                    if (next < files.Count && !Volatile.Read(ref copied[next]))
                    {
                        throw new InvalidOperationException($"the copy finished without file {next}");
                    }
                    continue;
                }
                await Task.WhenAny(copying, Task.Delay(RowBatchInterval, ct));
            }
            await copying;
            ct.ThrowIfCancellationRequested();
            return work.Commit();
        }
        finally
        {
            foreach (var file in staged)
            {
                if (file is not null)
                {
                    await file.Blob.DisposeAsync();
                }
            }
        }
    }

    /// <summary>
    /// Copies every file into a bulk blob, <see cref="Workers"/> at a time, each on its own thread with its own buffer;
    /// the first failure stops the others and is thrown as it was.
    /// </summary>
    private void CopyAll(List<(ExportedIndex Index, ExportedFile File)> files, StagedFile?[] staged,
        Dictionary<(IndexPath, string, string), string> recorded, bool[] copied, CancellationToken ct)
    {
        try
        {
            Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = ct },
                () => new byte[CopyBuffer], (i, state, buffer) =>
                {
                    if (state.ShouldExitCurrentIteration)
                    {
                        return buffer;
                    }
                    var (index, file) = files[i];
                    var blob = store.CreateBulkBlob();
                    staged[i] = new StagedFile(blob, "", null);
                    var whole = CopyChecked(file, blob, ref buffer);
                    var (requiresPython, metadata) = file.Kind == FileKind.ReleaseFile
                        ? Inspect(file, blob, whole ? buffer : null, recorded.GetValueOrDefault((index.Path, file.Project, file.Version), ""))
                        : ("", null);
                    staged[i] = new StagedFile(blob, requiresPython, metadata);
                    Volatile.Write(ref copied[i], true);
                    progress.FileDone(blob.Length);
                    return buffer;
                }, _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions.FirstOrDefault(x => x is ImportFailedException) ?? e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Users, indexes and the recorded releases; returns the releases written.</summary>
    private static HashSet<(string, string, string, string)> WriteUsersIndexesAndReleases(DevpiExport export, UnitOfWork work)
    {
        WriteUsersAndIndexes(export, work);
        var releases = new HashSet<(string, string, string, string)>();
        foreach (var index in export.Indexes)
        {
            var (user, name) = (index.Path.User.Value, index.Path.Index.Value);
            var created = index.Files.GroupBy(f => (f.Project, f.Version)).ToDictionary(g => g.Key, g => g.Min(f => f.LastModified));
            foreach (var release in index.Releases)
            {
                work.PutRelease(new ReleaseRecord(user, name, release.Project, release.Version, release.DisplayName,
                    release.Verdata.ToJsonString(), created.TryGetValue((release.Project, release.Version), out var first) ? first : DateTimeOffset.UtcNow));
                releases.Add((user, name, release.Project, release.Version));
            }
        }
        return releases;
    }

    /// <summary>A copied file's row, and its release's when the export recorded none.</summary>
    private static void AddFile(UnitOfWork work, ExportedIndex index, ExportedFile file, StagedFile staged,
        HashSet<(string, string, string, string)> releases)
    {
        var (user, name) = (index.Path.User.Value, index.Path.Index.Value);
        if (releases.Add((user, name, file.Project, file.Version)))
        {
            work.PutRelease(new ReleaseRecord(user, name, file.Project, file.Version, file.Project,
                new JsonObject { ["name"] = file.Project, ["version"] = file.Version }.ToJsonString(), file.LastModified));
        }
        var (blob, requiresPython, metadata) = staged;
        work.AddFile(new FileRecord(user, name, file.FileName, file.Project, file.Version, file.Kind, blob.Sha256, blob.Length,
            file.LastModified, requiresPython, metadata?.Sha256, file.LogJson), blob, metadata?.Content);
    }

    private static void WriteUsersAndIndexes(DevpiExport export, UnitOfWork work)
    {
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
    }

    /// <summary>
    /// Copies the file into the blob, hashing it on the way. A file that fits the buffer (most do; it grows up to
    /// <see cref="WholeFileLimit"/>) is read into it whole, so inspecting it reads nothing again; true when it was.
    /// </summary>
    private static bool CopyChecked(ExportedFile file, PendingBlob blob, ref byte[] buffer)
    {
        bool whole;
        using (var source = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan))
        {
            var length = RandomAccess.GetLength(source);
            if (length > buffer.Length && length <= WholeFileLimit)
            {
                buffer = new byte[length];
            }
            whole = length <= buffer.Length;
            long offset = 0;
            while (true)
            {
                if (whole && offset == buffer.Length)
                {
                    whole = false; // it grew while we read: go on in chunks
                }
                var target = whole ? buffer.AsSpan((int)offset) : buffer;
                var read = RandomAccess.Read(source, target, offset);
                if (read == 0)
                {
                    break;
                }
                blob.Write(target[..read]);
                offset += read;
                if (offset == length)
                {
                    break; // the size it had when opened: a read more to see the end would be one system call per file
                }
            }
        }
        blob.Finish();
        if (file.Sha256 is { } expected && expected != blob.Sha256)
        {
            throw new ImportFailedException(
                $"{file.RelPath}: its content does not match the sha256 the export recorded (recorded {expected}, file has {blob.Sha256}); "
                + "the export is damaged: export again, or restore that file");
        }
        return whole;
    }

    /// <summary>A wheel's core metadata for PEP 658, and requires_python; from the recorded metadata when the file cannot be read.</summary>
    private static (string RequiresPython, (string Sha256, byte[] Content)? Metadata) Inspect(ExportedFile file, PendingBlob blob, byte[]? content, string recorded)
    {
        if (!DistributionFileName.TryParse(file.FileName, out var name, out _))
        {
            return (recorded, null);
        }
        using var stream = content is not null
            ? new MemoryStream(content, 0, (int)blob.Length, writable: false)
            : (Stream)File.OpenRead(blob.TempPath);
        if (DistributionInspector.Inspect(stream, name, InspectionLimits.Default) is not InspectionResult.Success ok)
        {
            return (recorded, null);
        }
        var requiresPython = ok.Metadata.RequiresPython ?? recorded;
        return name.IsWheel ? (requiresPython, (Convert.ToHexStringLower(SHA256.HashData(ok.RawMetadata)), ok.RawMetadata)) : (requiresPython, null);
    }
}

/// <summary>A file copied into the blob store, waiting for the commit.</summary>
internal sealed record StagedFile(PendingBlob Blob, string RequiresPython, (string Sha256, byte[] Content)? Metadata);

/// <summary>An import stopped by something in the export (the message names it); nothing was changed.</summary>
public sealed class ImportFailedException(string message) : Exception(message);
