using Wheelhouse.Server.Configuration;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// <c>wheelhouse-server export DIR</c>: everything in devpi-export's format, from one consistent snapshot, while the
/// server may keep running. DIR must be new or empty; a failed export removes what it wrote.
/// Exit codes: 0 done, 73 (EX_CANTCREAT) DIR holds something, 74 (EX_IOERR) reading or writing failed.
/// </summary>
public static class ExportCommand
{
    public static async Task<int> RunAsync(ServerOptions options, string directory, CancellationToken ct)
    {
        if (DataDirectoryState.NoDataProblem(options.DataDirectory, options.Storage) is { } noData)
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: export: {noData}");
            return 66;
        }
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: export: {target} is not empty; give a new or empty directory");
            return 73;
        }
        var created = !Directory.Exists(target);
        Directory.CreateDirectory(target);
        try
        {
            using var store = PackageStore.Open(options.DataDirectory, options.Storage);
            var (files, bytes, serial) = await DevpiExporter.ExportAsync(store, target,
                (count, total) => TransferProgress.OnStandardError("export", count, total), ct);
            Console.WriteLine($"exported serial {serial}: {files} files ({TransferProgress.Size(bytes)}) into {target}; "
                + "'wheelhouse-server import' and devpi-server's 'devpi-import' read it");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageUnavailableException or OperationCanceledException)
        {
            if (created)
            {
                Directory.Delete(target, recursive: true);
            }
            else
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(target))
                {
                    if (Directory.Exists(entry))
                    {
                        Directory.Delete(entry, true);
                    }
                    else
                    {
                        File.Delete(entry);
                    }
                }
            }
            await Console.Error.WriteLineAsync($"wheelhouse-server: export failed: {e.Message}; nothing was left in {target}");
            return 74;
        }
    }
}
