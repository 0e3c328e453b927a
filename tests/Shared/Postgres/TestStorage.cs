using Wheelhouse.Storage;

namespace Wheelhouse.Testing.Postgres;

/// <summary>
/// The metadata backend the storage-touching tests run on: SQLite unless <c>WH_TEST_STORAGE=postgresql</c> (not a
/// <c>WHEELHOUSE_</c> name: the server refuses unknown variables of its own prefix, and tests start servers)
/// (<c>./build.sh integration-test</c> runs them a second time so), then a fresh database of the shared
/// <see cref="PostgresCluster"/> for each store a test makes. The backend is a parameter of the same tests, not a copy.
/// </summary>
public static class TestStorage
{
    public const string Variable = "WH_TEST_STORAGE";

    /// <summary>The backend this run tests.</summary>
    public static StorageKind Kind { get; } =
        System.Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => StorageKind.Sqlite,
            "postgresql" or "postgres" => StorageKind.PostgreSql,
            var other => throw new InvalidOperationException($"{Variable}={other}: expected sqlite or postgresql"),
        };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, StorageSettings> ByDataDirectory = new(StringComparer.Ordinal);

    /// <summary>
    /// The metadata of the store in <paramref name="dataDirectory"/>: made on first use, the same again for a restart
    /// or a command on that directory.
    /// </summary>
    public static StorageSettings ForDataDirectory(string dataDirectory) =>
        ByDataDirectory.GetOrAdd(Path.GetFullPath(dataDirectory).TrimEnd('/'), _ => Fresh("server"));

    /// <summary>Records that <paramref name="dataDirectory"/> holds its metadata in SQLite whatever the run tests (a restore's target).</summary>
    public static void UseSqliteFor(string dataDirectory) => ByDataDirectory[Path.GetFullPath(dataDirectory).TrimEnd('/')] = StorageSettings.Sqlite;

    /// <summary>
    /// On a store other nodes share (PostgreSQL), a starting node removes only temp files untouched for
    /// <see cref="PackageStore.SharedTemporaryFileAge"/>, since the others may be uploads in progress. A test of what a
    /// restart cleans up makes the temp files in <paramref name="dataDirectory"/> that old, as a restart a day later would
    /// find them; on SQLite (one process) it changes nothing.
    /// </summary>
    public static void AgeTemporaryFilesForARestart(string dataDirectory)
    {
        if (Kind == StorageKind.Sqlite)
        {
            return;
        }
        var old = DateTime.UtcNow - PackageStore.SharedTemporaryFileAge - TimeSpan.FromHours(1);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dataDirectory, "+files", "tmp")))
        {
            File.SetLastWriteTimeUtc(file, old);
        }
    }

    /// <summary>The <c>WHEELHOUSE_STORAGE_*</c> variables that point a server process at <paramref name="storage"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Environment(StorageSettings storage) => storage.Kind == StorageKind.Sqlite
        ? []
        : [new("WHEELHOUSE_STORAGE_KIND", "postgresql"), new("WHEELHOUSE_STORAGE_CONNECTION_STRING", storage.ConnectionString!)];

    /// <summary>A new metadata store of this run's backend: a SQLite file in <paramref name="directory"/>, or a new database.</summary>
    public static IMetadataStore OpenMetadata(string directory) => Kind == StorageKind.Sqlite
        ? Storage.Sqlite.SqliteMetadataStore.OpenIn(directory)
        : Storage.Postgres.PostgresMetadataStore.Open(Fresh("metadata").ConnectionString!);

    /// <summary>Where a new store of this run keeps its metadata: the data directory (SQLite) or a new database.</summary>
    public static StorageSettings Fresh(string hint = "test") => Kind == StorageKind.Sqlite
        ? StorageSettings.Sqlite
        : new StorageSettings(StorageKind.PostgreSql, PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase(hint)));
}
