using Wheelhouse.Server.Configuration;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// <c>wheelhouse-server migrate-storage --to postgresql --connection-string CS [--password-file FILE]</c>: copies the
/// SQLite installation's metadata into a new, empty PostgreSQL database in one transaction (all or nothing), keeping
/// its serial and identity, from a snapshot that holds writers off meanwhile; then checks the result as <c>check</c>
/// does. Blobs and the served tree stay where they are: the data directory serves both backends.
/// </summary>
public static class MigrateStorageCommand
{
    public static async Task<int> RunAsync(ServerOptions options, CommandLine.MigrationTarget target, CancellationToken ct) =>
        await RunAsync(options, target, Console.Out, Console.Error, terminal: !Console.IsErrorRedirected, ct);

    public static async Task<int> RunAsync(ServerOptions options, CommandLine.MigrationTarget target, TextWriter output, TextWriter errors,
        bool terminal, CancellationToken ct)
    {
        if (TargetProblem(options, target, out var settings) is { } problem)
        {
            await errors.WriteLineAsync($"wheelhouse-server: migrate-storage: {problem}");
            return 64;
        }
        if (DataDirectoryState.NoDataProblem(options.DataDirectory) is { } noData)
        {
            await errors.WriteLineAsync($"wheelhouse-server: migrate-storage: {noData}");
            return 66;
        }
        var where = settings.Describe(options.DataDirectory);
        using var source = PackageStore.OpenDataDirectory(options.DataDirectory);
        using var destination = PackageStore.Open(options.DataDirectory, settings);
        MetadataCopier.Counts counts;
        long serial;
        using (var snapshot = await source.SnapshotAsync(ct))
        {
            serial = snapshot.Serial;
            var progress = TransferProgress.OfRows("migrate-storage rows", MetadataCopier.CountRows(snapshot.Rows), errors, terminal);
            try
            {
                counts = await MetadataCopier.CopyAsync(snapshot.Rows, source.Uuid, destination.Metadata, () => progress.FileDone(0), ct);
            }
            catch (InvalidOperationException e)
            {
                await errors.WriteLineAsync($"wheelhouse-server: migrate-storage: {where}: {e.Message}; nothing was written");
                return 73;
            }
            progress.Done();
        }
        var report = await new ConsistencyCheck(destination).RunAsync(repair: false, null, ct);
        if (report.Problems.Count > 0)
        {
            await errors.WriteLineAsync($"wheelhouse-server: migrate-storage: the copy in {where} fails 'check': {string.Join("; ", report.Problems)}");
            return 1;
        }
        await output.WriteLineAsync($"migrated serial {serial}: {counts.Users} users, {counts.Indexes} indexes, {counts.Releases} releases, "
            + $"{counts.Files} files into {where}; it passes 'check'. Now set \"storage\": {{ \"kind\": \"postgresql\", \"connectionString\": ..., "
            + $"\"passwordFile\": ... }} in the configuration and start the server; {Path.Combine(options.DataDirectory, Storage.Sqlite.SqliteMetadataStore.FileName)} "
            + "is left as it was (keep it until the new setup is proven)");
        return 0;
    }

    private static string? TargetProblem(ServerOptions options, CommandLine.MigrationTarget target, out StorageSettings settings)
    {
        settings = StorageSettings.Sqlite;
        if (StorageConfiguration.ParseKind(target.Kind) != StorageKind.PostgreSql)
        {
            return $"--to {target.Kind}: the only target is postgresql";
        }
        if (options.Storage.Kind != StorageKind.Sqlite)
        {
            return "the configuration already names a PostgreSQL database (storage.kind); migrate-storage reads the SQLite file of --data-dir, "
                + "so run it with the configuration the SQLite installation had";
        }
        var problems = new List<string>();
        var connectionString = PostgresConnection.Resolve(
            new(target.ConnectionString, "--connection-string"),
            target.PasswordFile is { } file ? new(file, "--password-file") : null,
            problems);
        if (connectionString is null)
        {
            return problems[0];
        }
        settings = new StorageSettings(StorageKind.PostgreSql, connectionString);
        return null;
    }
}
