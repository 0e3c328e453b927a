using Microsoft.Data.Sqlite;

namespace Wheelhouse.Storage.Sqlite;

/// <summary>
/// The SQLite file holding users, indexes, releases and file rows (WAL, synchronous=FULL so a commit is durable
/// once acknowledged). Writers are serialized here; every write transaction bumps the serial.
/// </summary>
public sealed class SqliteMetadataStore : IMetadataStore
{
    /// <summary>The database's name in the data directory.</summary>
    public const string FileName = "wheelhouse.sqlite";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    private SqliteMetadataStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The serial of the last committed change (X-Devpi-Serial).</summary>
    public long Serial => Book.Serial;

    /// <summary>The server's identity, generated once (X-Devpi-Uuid).</summary>
    public string Uuid { get; private set; } = "";

    /// <summary>The database and its WAL files: the server's user only (password hashes live here).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The database of <paramref name="dataDirectory"/> (<see cref="FileName"/>), created and migrated as needed.</summary>
    public static SqliteMetadataStore OpenIn(string dataDirectory) => Open(Path.Combine(dataDirectory, FileName));

    public static SqliteMetadataStore Open(string path)
    {
        RestrictToOwner(path);
        var db = new SqliteMetadataStore(path);
        try
        {
            db.Migrate();
        }
        catch (Exception e) when (e is SqliteException or StorageUnavailableException)
        {
            db.Dispose();
            throw new InvalidOperationException($"cannot open the metadata database {path}: {e.Message}", e);
        }
        return db;
    }

    /// <summary>
    /// Creates the file 0600 before SQLite does (its -wal and -shm copy that mode), and narrows files an older version
    /// or a wider umask left readable: the data directory is traversable by nginx's user to reach the served tree.
    /// </summary>
    private static void RestrictToOwner(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file) && File.GetUnixFileMode(file) != FileMode)
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }

    private void Migrate()
    {
        using var connection = OpenConnection();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Scripts.Length)
        {
            throw new InvalidOperationException(
                $"the database has schema version {version}, newer than this server knows ({Migrations.Scripts.Length}); upgrade wheelhouse-server");
        }
        for (var i = version; i < Migrations.Scripts.Length; i++)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, Migrations.Scripts[i], tx);
            Execute(connection, $"PRAGMA user_version = {i + 1};", tx);
            tx.Commit();
        }
        using (var tx = connection.BeginTransaction())
        {
            Execute(connection, "INSERT OR IGNORE INTO meta (key, value) VALUES ('uuid', $uuid);", tx, ("$uuid", Guid.NewGuid().ToString("N")));
            tx.Commit();
        }
        Uuid = (string)Scalar(connection, "SELECT value FROM meta WHERE key = 'uuid';")!;
        Book = new SerialBook(long.Parse((string)Scalar(connection, "SELECT value FROM meta WHERE key = 'serial';")!, System.Globalization.CultureInfo.InvariantCulture));
    }

    internal SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            // temp_store=MEMORY: a statement's undo journal (every upsert in a long write has one) stays in memory
            // instead of spilling to a temp file page by page; it is never needed after a crash.
            cmd.CommandText = "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;";
            cmd.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Unavailable(e);
        }
    }

    internal static StorageUnavailableException Unavailable(SqliteException e) =>
        new($"the metadata database failed: {e.Message}", e);

    public IMetadataReader Read() => new SqliteMetadataReader(OpenConnection());

    public async Task<IMetadataWriter> WriteAsync(CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = OpenConnection();
            try
            {
                var tx = connection.BeginTransaction(deferred: false);
                return new SqliteMetadataWriter(connection, tx, this);
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                throw Unavailable(e);
            }
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    /// <summary>
    /// True once a commit of ours skipped serials: another process (<c>layout apply</c>) committed in between, so what
    /// callers keep in memory may lack its changes even though <see cref="Serial"/> is no longer behind the stored one.
    /// Cleared when the caller has reloaded and adopted (<see cref="SqliteMetadataWriter.AdoptOtherProcessesSerial"/>).
    /// </summary>
    public bool OtherProcessCommitsPending => Book.OtherProcessCommitsPending;

    /// <summary>This process's serial bookkeeping, shared with the writer.</summary>
    internal SerialBook Book { get; private set; } = new(0);

    internal void WriterDone() => _writer.Release();

    internal void IdentityLoaded(string uuid) => Uuid = uuid;

    /// <summary>
    /// SQLite's online backup API, page by page from a read connection: no lock on the database is held for long.
    /// The copy is not synced (no fsync while a snapshot holds writers off): the caller syncs its file system before
    /// it calls the copy complete, as <c>backup</c> does before its marker.
    /// </summary>
    public void CopyTo(string path)
    {
        RestrictToOwner(path);
        using var source = OpenConnection();
        using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            target.Open();
            Execute(target, "PRAGMA synchronous=OFF;");
            source.BackupDatabase(target);
            Execute(target, "PRAGMA journal_mode=DELETE;");
        }
        catch (SqliteException e)
        {
            throw Unavailable(e);
        }
    }

    internal static void Execute(SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        cmd.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        return cmd.ExecuteScalar();
    }

    internal static SqliteCommand Command(SqliteConnection c, string sql, SqliteTransaction? tx, (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
