namespace Wheelhouse.Storage;

/// <summary>Which database holds the metadata.</summary>
public enum StorageKind
{
    /// <summary>A SQLite file in the data directory (the default; nothing to install).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database that several server processes may share.</summary>
    PostgreSql,
}

/// <summary>
/// Where the metadata lives: <see cref="StorageKind.Sqlite"/> in the data directory, or a PostgreSQL database named by
/// <see cref="ConnectionString"/> (complete, password included: never log it; <see cref="Describe"/> is what messages show).
/// Blobs and the served tree stay in the data directory either way.
/// </summary>
public sealed record StorageSettings(StorageKind Kind, string? ConnectionString = null)
{
    public static readonly StorageSettings Sqlite = new(StorageKind.Sqlite);

    /// <summary>For messages: the database without its secrets.</summary>
    public string Describe(string dataDirectory) => Kind == StorageKind.Sqlite
        ? Path.Combine(dataDirectory, Storage.Sqlite.SqliteMetadataStore.FileName)
        : Postgres.PostgresConnectionString.Describe(ConnectionString!);

    public override string ToString() => Kind == StorageKind.Sqlite ? "sqlite" : Postgres.PostgresConnectionString.Describe(ConnectionString!);
}
