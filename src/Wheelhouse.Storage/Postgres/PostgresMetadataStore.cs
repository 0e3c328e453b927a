using System.Globalization;
using Npgsql;

namespace Wheelhouse.Storage.Postgres;

/// <summary>
/// The metadata in a PostgreSQL database, which any number of server processes may share. Writers are serialized
/// across all of them: a write transaction begins by locking the one row of <c>serial</c> (<c>SELECT ... FOR UPDATE</c>),
/// so the next writer, in whatever process, waits until this one commits or rolls back, then sees everything it
/// committed; the commit advances that row by one, so serials stay gap-free and ordered. Every commit also sends
/// <c>NOTIFY wheelhouse_serial</c> with its serial (delivered only if it commits), which
/// <see cref="ListenAsync(Action{long}, CancellationToken)"/> offers to whoever keeps caches. Readers see one snapshot each (repeatable read, read only).
/// </summary>
public sealed partial class PostgresMetadataStore : IMetadataStore, ICommitNotifications
{
    /// <summary>The channel every commit notifies with its serial.</summary>
    public const string SerialChannel = "wheelhouse_serial";

    /// <summary>Held by the process that migrates, so two nodes starting at once do not both run a script.</summary>
    private const long MigrationLockKey = 0x5768_6565_6c68_6f75; // "Wheelhou"

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _description;

    private PostgresMetadataStore(string connectionString)
    {
        _description = PostgresConnectionString.Describe(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "wheelhouse-server";
        _dataSource = builder.Build();
    }

    /// <summary>The serial of the last committed change this process knows of (X-Devpi-Serial).</summary>
    public long Serial => Book.Serial;

    /// <summary>The installation's identity, generated once (X-Devpi-Uuid), shared by every node.</summary>
    public string Uuid { get; private set; } = "";

    /// <inheritdoc />
    public bool OtherProcessCommitsPending => Book.OtherProcessCommitsPending;

    /// <summary>This process's serial bookkeeping, shared with the writer.</summary>
    internal SerialBook Book { get; private set; } = new(0);

    /// <summary>Connects, migrates the schema as needed (one process at a time) and reads the serial and identity.</summary>
    /// <exception cref="StorageUnavailableException">The database is unreachable or refuses us; says which and why.</exception>
    /// <exception cref="InvalidOperationException">The database's schema is newer than this server's.</exception>
    public static PostgresMetadataStore Open(string connectionString)
    {
        var store = new PostgresMetadataStore(connectionString);
        try
        {
            store.Migrate();
        }
        catch (Exception e) when (e is NpgsqlException or StorageUnavailableException or TimeoutException)
        {
            store.Dispose();
            throw new StorageUnavailableException($"cannot open the metadata database, {store._description}: {Reason(e)}", e);
        }
        catch (InvalidOperationException e)
        {
            store.Dispose();
            throw new InvalidOperationException($"cannot open the metadata database, {store._description}: {e.Message}", e);
        }
        return store;
    }

    /// <summary>True when the database already holds a Wheelhouse schema (false for an empty database).</summary>
    public static bool HasSchema(string connectionString)
    {
        using var store = new PostgresMetadataStore(connectionString);
        try
        {
            using var connection = store.OpenConnection();
            return PostgresSql.Scalar(connection, "SELECT to_regclass('schema_version') IS NOT NULL;") is true;
        }
        catch (StorageUnavailableException e)
        {
            throw new StorageUnavailableException($"cannot open the metadata database, {store._description}: {Reason(e)}", e);
        }
    }

    private static string Reason(Exception e) => e switch
    {
        StorageUnavailableException { InnerException: { } inner } => Reason(inner),
        PostgresException p => $"{p.MessageText} (SQLSTATE {p.SqlState})",
        NpgsqlException { InnerException: System.Net.Sockets.SocketException s } => s.Message,
        NpgsqlException { InnerException: TimeoutException } => "no answer within the connection timeout",
        _ => e.Message,
    };

    private void Migrate()
    {
        using var connection = OpenConnection();
        using (var tx = connection.BeginTransaction())
        {
            PostgresSql.Execute(connection, "SELECT pg_advisory_xact_lock(@k);", tx, ("k", MigrationLockKey));
            PostgresSql.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);", tx);
            var version = Convert.ToInt32(PostgresSql.Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version;", tx), CultureInfo.InvariantCulture);
            if (version > PostgresMigrations.Scripts.Length)
            {
                throw new InvalidOperationException(
                    $"the database has schema version {version}, newer than this server knows ({PostgresMigrations.Scripts.Length}); upgrade wheelhouse-server");
            }
            for (var i = version; i < PostgresMigrations.Scripts.Length; i++)
            {
                PostgresSql.Execute(connection, PostgresMigrations.Scripts[i], tx);
                PostgresSql.Execute(connection, "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (@v);", tx, ("v", i + 1));
            }
            PostgresSql.Execute(connection, "INSERT INTO meta (key, value) VALUES ('uuid', @u) ON CONFLICT (key) DO NOTHING;", tx, ("u", Guid.NewGuid().ToString("N")));
            tx.Commit();
        }
        Uuid = (string)PostgresSql.Scalar(connection, "SELECT value FROM meta WHERE key = 'uuid';")!;
        Book = new SerialBook((long)PostgresSql.Scalar(connection, "SELECT value FROM serial WHERE id = 1;")!);
    }

    internal NpgsqlConnection OpenConnection()
    {
        try
        {
            return _dataSource.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Unavailable(e);
        }
    }

    internal StorageUnavailableException Unavailable(Exception e) =>
        new($"the metadata database ({_description}) failed: {Reason(e)}", e);

    public IMetadataReader Read()
    {
        var connection = OpenConnection();
        try
        {
            var tx = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            PostgresSql.Execute(connection, "SET TRANSACTION READ ONLY;", tx);
            return new PostgresMetadataReader(connection, tx, this);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            connection.Dispose();
            throw Unavailable(e);
        }
    }

    public async Task<IMetadataWriter> WriteAsync(CancellationToken cancellationToken = default)
    {
        // One writer per process waits here without holding a connection; across processes the serial row decides.
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = OpenConnection();
            try
            {
                var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
                await using (var cmd = PostgresSql.Command(connection, "SELECT value FROM serial WHERE id = 1 FOR UPDATE;", tx, []))
                {
                    await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
                return new PostgresMetadataWriter(connection, tx, this);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw Unavailable(e);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    internal void WriterDone() => _writer.Release();

    internal void IdentityLoaded(string uuid) => Uuid = uuid;

    /// <summary>
    /// Writes the committed metadata into a new SQLite database at <paramref name="path"/>, with the same serial and
    /// identity: a <c>backup</c> of a PostgreSQL installation restores anywhere (and <c>migrate-storage</c> takes it
    /// back to PostgreSQL). For point-in-time recovery of the database itself, use PostgreSQL's own tools
    /// (pg_dump, pg_basebackup).
    /// </summary>
    public void CopyTo(string path)
    {
        if (File.Exists(path))
        {
            throw new IOException($"{path} exists; a copy of the metadata goes to a new file");
        }
        using var target = Storage.Sqlite.SqliteMetadataStore.Open(path);
        using var source = Read();
        MetadataCopier.CopyAsync(source, Uuid, target, rowCopied: null, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _writer.Dispose();
        DisposeLeaseConnection();
        DisposeSerialConnection();
        _dataSource.Dispose();
    }
}
