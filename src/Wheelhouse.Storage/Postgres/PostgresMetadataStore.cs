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
    private readonly SemaphoreSlim _serialCheck = new(1, 1);
    private NpgsqlConnection? _serialConnection;
    private NpgsqlCommand? _serialQuery;
    private readonly string _description;

    private PostgresMetadataStore(string connectionString)
    {
        _description = Describe(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "wheelhouse-server";
        _dataSource = builder.Build();
    }

    /// <summary>The database, host and port of <paramref name="connectionString"/>, for messages (never its password).</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL database '{b.Database ?? b.Username ?? "(default)"}' on {b.Host ?? "localhost"}:{b.Port}"
                + (b.Username is { } user ? $" as '{user}'" : "");
        }
        catch (ArgumentException)
        {
            return "a PostgreSQL database (the connection string cannot be parsed)";
        }
    }

    /// <summary>The problem with <paramref name="connectionString"/>'s form, or null; its password never appears in it.</summary>
    public static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(b.Host) ? "it names no Host (such as Host=db.example.com;Database=wheelhouse;Username=wheelhouse)"
                : string.IsNullOrEmpty(b.Database) ? "it names no Database"
                : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            // Npgsql's messages quote the offending keyword, not values.
            return $"it is not a valid connection string ({e.Message})";
        }
    }

    /// <summary>True when <paramref name="connectionString"/> (valid) holds a password of its own.</summary>
    public static bool HasPassword(string connectionString) => !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(connectionString).Password);

    /// <summary><paramref name="connectionString"/> (valid) with <paramref name="password"/> (from a password file).</summary>
    public static string WithPassword(string connectionString, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;

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
            return Scalar(connection, "SELECT to_regclass('schema_version') IS NOT NULL;") is true;
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
            Execute(connection, "SELECT pg_advisory_xact_lock(@k);", tx, ("k", MigrationLockKey));
            Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);", tx);
            var version = Convert.ToInt32(Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version;", tx), CultureInfo.InvariantCulture);
            if (version > PostgresMigrations.Scripts.Length)
            {
                throw new InvalidOperationException(
                    $"the database has schema version {version}, newer than this server knows ({PostgresMigrations.Scripts.Length}); upgrade wheelhouse-server");
            }
            for (var i = version; i < PostgresMigrations.Scripts.Length; i++)
            {
                Execute(connection, PostgresMigrations.Scripts[i], tx);
                Execute(connection, "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (@v);", tx, ("v", i + 1));
            }
            Execute(connection, "INSERT INTO meta (key, value) VALUES ('uuid', @u) ON CONFLICT (key) DO NOTHING;", tx, ("u", Guid.NewGuid().ToString("N")));
            tx.Commit();
        }
        Uuid = (string)Scalar(connection, "SELECT value FROM meta WHERE key = 'uuid';")!;
        Book = new SerialBook((long)Scalar(connection, "SELECT value FROM serial WHERE id = 1;")!);
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
            Execute(connection, "SET TRANSACTION READ ONLY;", tx);
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
                await using (var cmd = Command(connection, "SELECT value FROM serial WHERE id = 1 FOR UPDATE;", tx, []))
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

    /// <inheritdoc />
    public Task ListenAsync(Action<long> committed, CancellationToken cancellationToken) => ListenAsync(committed, listening: null, acknowledged: null, cancellationToken);

    /// <inheritdoc />
    public async Task ListenAsync(Action<long> committed, Action? listening, Action? acknowledged, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Unavailable(e);
        }
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, n) =>
            {
                if (n.Channel == SerialChannel && long.TryParse(n.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
                {
                    committed(serial);
                }
                else if (n.Channel == AcknowledgementChannel)
                {
                    acknowledged?.Invoke();
                }
            };
            try
            {
                var channels = acknowledged is null ? $"LISTEN {SerialChannel};" : $"LISTEN {SerialChannel}; LISTEN {AcknowledgementChannel};";
                await using (var listen = Command(connection, channels, null, []))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                listening?.Invoke();
                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // asked to stop
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                throw Unavailable(e);
            }
        }
    }

    internal static void Execute(NpgsqlConnection c, string sql, NpgsqlTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        cmd.ExecuteNonQuery();
    }

    internal static object? Scalar(NpgsqlConnection c, string sql, NpgsqlTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        return cmd.ExecuteScalar();
    }

    internal static NpgsqlCommand Command(NpgsqlConnection c, string sql, NpgsqlTransaction? tx, (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }

    /// <inheritdoc />
    public async Task<long> StoredSerialAsync(CancellationToken cancellationToken)
    {
        await _serialCheck.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_serialQuery is null)
            {
                _serialConnection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                _serialQuery = new NpgsqlCommand("SELECT value AS stored_serial FROM serial WHERE id = 1;", _serialConnection);
                await _serialQuery.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }
            // A statement outside a transaction sees every transaction committed before it began.
            return (long)(await _serialQuery.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (OperationCanceledException)
        {
            DropSerialConnection(); // in the middle of a query: not reused
            throw;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // A broken connection is not reused: the next check opens a new one.
            DropSerialConnection();
            throw Unavailable(e);
        }
        finally
        {
            _serialCheck.Release();
        }
    }

    private void DropSerialConnection()
    {
        _serialQuery?.Dispose();
        _serialConnection?.Dispose();
        _serialQuery = null;
        _serialConnection = null;
    }

    public void Dispose()
    {
        _writer.Dispose();
        DisposeLeaseConnection();
        // A serial check can still be running when the host stops (the read barrier and the commit listener outlive the
        // last request): its connection goes only once it is done, and the semaphore is left undisposed because that
        // check releases it.
        if (_serialCheck.Wait(TimeSpan.FromSeconds(5)))
        {
            DropSerialConnection();
            _serialCheck.Release();
        }
        _dataSource.Dispose();
    }
}
