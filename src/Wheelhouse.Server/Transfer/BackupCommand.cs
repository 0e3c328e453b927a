using Wheelhouse.Server.Configuration;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// <c>backup DIR</c> (while the server runs) and <c>restore DIR</c> (into an empty data directory), see <see cref="Backup"/>.
/// Exit codes: 0 done, 65 (EX_DATAERR) not a complete or an intact backup, 66 no data to back up, 73 DIR or the data
/// directory is not empty, 74 (EX_IOERR) reading or writing failed. A failure removes what the command wrote.
/// </summary>
public static class BackupCommand
{
    public static async Task<int> BackupAsync(ServerOptions options, string directory, int pacePercent, CancellationToken ct)
    {
        if (DataDirectoryState.NoDataProblem(options.DataDirectory, options.Storage) is { } noData)
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: backup: {noData}");
            return 66;
        }
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: backup: {target} is not empty; give a new or empty directory (one per backup)");
            return 73;
        }
        var before = DataDirectoryState.Capture(target);
        Directory.CreateDirectory(target);
        try
        {
            using var store = PackageStore.Open(options.DataDirectory, options.Storage);
            var pacer = new Pacer(pacePercent);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (serial, blobs, bytes, heldOff) = await Backup.WriteAsync(store, options.DataDirectory, target, pacer,
                (count, total) => TransferProgress.OnStandardError("backup", count, total), ct);
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"backed up serial {serial}: the database and {blobs} blobs ({TransferProgress.Size(bytes)}) into {target} in {watch.Elapsed.TotalSeconds:F1} s at --pace {pacer.Percent} (rested {pacer.Rested.TotalSeconds:F1} s; uploads held off {heldOff.TotalSeconds:F2} s)"));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageUnavailableException or OperationCanceledException)
        {
            before.RemoveAdded();
            await Console.Error.WriteLineAsync($"wheelhouse-server: backup failed: {e.Message}");
            return 74;
        }
    }

    public static async Task<int> RestoreAsync(ServerOptions options, string directory, CancellationToken ct)
    {
        var backup = Path.GetFullPath(directory);
        if (options.Storage.Kind != StorageKind.Sqlite)
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: restore: a backup restores into a SQLite data directory; restore with storage.kind sqlite, "
                + $"then move it to {options.Storage.Describe(options.DataDirectory)} with 'wheelhouse-server migrate-storage'");
            return 64;
        }
        if (!File.Exists(Path.Combine(backup, Backup.CompleteMarker)) || !File.Exists(Path.Combine(backup, Backup.DatabaseName)))
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: restore: {backup} is not a complete backup (no {Backup.CompleteMarker}): "
                + "an interrupted backup, or not a backup at all; restore another one");
            return 65;
        }
        var data = Path.GetFullPath(options.DataDirectory);
        if (Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any())
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: restore: the data directory {data} is not empty; restore into an empty one (move this one away first)");
            return 73;
        }
        var before = DataDirectoryState.Capture(data);
        try
        {
            var serial = await Backup.RestoreAsync(backup, data, (count, total) => TransferProgress.OnStandardError("restore", count, total), ct);
            using (var store = PackageStore.OpenDataDirectory(data))
            {
                var report = await new ConsistencyCheck(store).RunAsync(repair: false, null, ct);
                if (report.Problems.Count > 0)
                {
                    throw new ImportFailedException($"the restored data fails its consistency check: {string.Join("; ", report.Problems)}");
                }
            }
            Console.WriteLine($"restored serial {serial} from {backup} into {data}; it passes 'check'");
            return 0;
        }
        catch (Exception e) when (e is ImportFailedException or IOException or UnauthorizedAccessException or StorageUnavailableException or OperationCanceledException)
        {
            before.RemoveAdded();
            await Console.Error.WriteLineAsync($"wheelhouse-server: restore failed: {e.Message}; {data} is as it was before");
            return e is ImportFailedException ? 65 : 74;
        }
    }
}
