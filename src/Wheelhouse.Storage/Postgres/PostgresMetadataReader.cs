using System.Globalization;
using Npgsql;

namespace Wheelhouse.Storage.Postgres;

/// <summary>
/// Queries over one connection, inside one transaction: a reader's is repeatable read and read only (one snapshot for
/// all its queries), a writer's is the write transaction. Same answers, in the same order, as the SQLite reader.
/// </summary>
internal partial class PostgresMetadataReader : IMetadataReader
{
    private protected readonly NpgsqlConnection Connection;
    private protected readonly PostgresMetadataStore Store;
    private protected NpgsqlTransaction? Transaction;

    internal PostgresMetadataReader(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresMetadataStore store)
    {
        Connection = connection;
        Transaction = transaction;
        Store = store;
    }

    private const string UserColumns = "SELECT name, password_hash, email, title, description, created, groups FROM users";

    private const string ReleaseColumns = "SELECT username, idx, project, version, name, metadata, created FROM releases";

    private const string FileColumns =
        "SELECT username, idx, filename, project, version, kind, sha256, size, uploaded, requires_python, metadata_sha256, log FROM files";

    public IReadOnlyList<UserRecord> Users() => Query(UserColumns + " ORDER BY name;", ReadUser);

    public UserRecord? User(string name) => Query(UserColumns + " WHERE name = @n;", ReadUser, ("n", name)).FirstOrDefault();

    public IReadOnlyList<IndexRecord> Indexes() =>
        Query("SELECT username, name, config FROM indexes ORDER BY username, name;", r => new IndexRecord(r.GetString(0), r.GetString(1), r.GetString(2)));

    public IReadOnlyList<(string Project, string DisplayName)> Projects(string user, string index) =>
        Query("SELECT project, max(name) FROM releases WHERE username = @u AND idx = @i GROUP BY project ORDER BY project;",
            r => (r.GetString(0), r.GetString(1)), ("u", user), ("i", index));

    public IReadOnlyList<ReleaseRecord> Releases(string user, string index, string project) =>
        Query(ReleaseColumns + " WHERE username = @u AND idx = @i AND project = @p;", ReadRelease, ("u", user), ("i", index), ("p", project));

    public IReadOnlyList<ReleaseRecord> ReleasesWithMetadataKey(string user, string index, string key) =>
        Query(ReleaseColumns + " WHERE username = @u AND idx = @i AND strpos(metadata, @k) > 0;", ReadRelease, ("u", user), ("i", index), ("k", "\"" + key + "\""));

    public ReleaseRecord? Release(string user, string index, string project, string version) =>
        Query(ReleaseColumns + " WHERE username = @u AND idx = @i AND project = @p AND version = @v;",
            ReadRelease, ("u", user), ("i", index), ("p", project), ("v", version)).FirstOrDefault();

    public IReadOnlyList<FileRecord> Files(string user, string index, string project) =>
        Query(FileColumns + " WHERE username = @u AND idx = @i AND project = @p ORDER BY filename;", ReadFile, ("u", user), ("i", index), ("p", project));

    public IReadOnlyList<FileRecord> IndexFiles(string user, string index) =>
        Query(FileColumns + " WHERE username = @u AND idx = @i ORDER BY filename;", ReadFile, ("u", user), ("i", index));

    public FileRecord? File(string user, string index, string fileName) =>
        Query(FileColumns + " WHERE username = @u AND idx = @i AND filename = @f;", ReadFile, ("u", user), ("i", index), ("f", fileName)).FirstOrDefault();

    public IReadOnlyList<FileRecord> AllFiles() => Query(FileColumns + " ORDER BY username, idx, filename;", ReadFile);

    public IReadOnlyList<FileRecord> FilesWithSha256Prefix(string sha256Prefix) =>
        Query(FileColumns + " WHERE sha256 >= @p AND sha256 < @p || 'g';", ReadFile, ("p", sha256Prefix));

    public byte[]? CoreMetadata(string sha256) =>
        Query("SELECT content FROM core_metadata WHERE sha256 = @s;", r => (byte[])r[0], ("s", sha256)).FirstOrDefault();

    public string? PrefetchStatus(string user, string index) =>
        Query("SELECT status FROM prefetch_status WHERE username = @u AND idx = @i;", r => r.GetString(0), ("u", user), ("i", index)).FirstOrDefault();

    public HashSet<string> ReferencedBlobs(string sha256Prefix = "") =>
        Query("SELECT DISTINCT sha256 FROM files WHERE sha256 >= @p AND sha256 < @p || 'g';", r => r.GetString(0), ("p", sha256Prefix))
            .ToHashSet(StringComparer.Ordinal);

    public bool IsBlobReferenced(string sha256) => Query("SELECT 1 FROM files WHERE sha256 = @s LIMIT 1;", _ => true, ("s", sha256)).Count > 0;

    public (long Count, long Bytes) BlobTotals() =>
        Query("SELECT count(*), coalesce(sum(size), 0)::bigint FROM (SELECT max(size) AS size FROM files GROUP BY sha256) AS blobs;",
            r => (r.GetInt64(0), r.GetInt64(1))).Single();

    public long StoredSerial() => Query("SELECT value FROM serial WHERE id = 1;", r => r.GetInt64(0)).Single();

    private static UserRecord ReadUser(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r.GetString(5)))
        {
            Groups = System.Text.Json.JsonSerializer.Deserialize<string[]>(r.GetString(6)) ?? [],
        };

    private static ReleaseRecord ReadRelease(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Time(r.GetString(6)));

    private static FileRecord ReadFile(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), FileKinds.Parse(r.GetString(5)), r.GetString(6),
            r.GetInt64(7), Time(r.GetString(8)), r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10), r.GetString(11));

    private protected static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private protected List<T> Query<T>(string sql, Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] args)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var cmd = PostgresSql.Command(Connection, sql, Transaction, args);
            using var reader = cmd.ExecuteReader();
            var list = new List<T>();
            while (reader.Read())
            {
                list.Add(map(reader));
            }
            return list;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Store.Unavailable(e);
        }
        finally
        {
            StorageMeter.Record(StorageMeter.Query, start);
        }
    }

    private protected int Execute(string sql, params (string Name, object? Value)[] args)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var cmd = PostgresSql.Command(Connection, sql, Transaction, args);
            return cmd.ExecuteNonQuery();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Store.Unavailable(e);
        }
        finally
        {
            StorageMeter.Record(StorageMeter.Statement, start);
        }
    }

    public virtual void Dispose()
    {
        try
        {
            Transaction?.Dispose(); // a reader's only rolls back a read-only snapshot
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
        {
            // The connection is already broken; closing it below returns nothing to the pool.
        }
        Transaction = null;
        Connection.Dispose();
        GC.SuppressFinalize(this);
    }
}
