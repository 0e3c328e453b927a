using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Wheelhouse.Storage.Sqlite;

/// <summary>Queries over one connection (and, for a writer, inside its transaction).</summary>
internal partial class SqliteMetadataReader : IMetadataReader
{
    private protected readonly SqliteConnection Connection;
    private protected SqliteTransaction? Transaction;

    internal SqliteMetadataReader(SqliteConnection connection) => Connection = connection;

    public IReadOnlyList<UserRecord> Users() =>
        Query("SELECT name, password_hash, email, title, description, created, groups FROM users ORDER BY name;", ReadUser);

    public UserRecord? User(string name) =>
        Query("SELECT name, password_hash, email, title, description, created, groups FROM users WHERE name = $n;", ReadUser, ("$n", name))
            .FirstOrDefault();

    public IReadOnlyList<IndexRecord> Indexes() =>
        Query("SELECT user, name, config FROM indexes ORDER BY user, name;", r => new IndexRecord(r.GetString(0), r.GetString(1), r.GetString(2)));

    /// <summary>Projects with at least one registered release, as (normalized, display name), sorted by normalized name.</summary>
    public IReadOnlyList<(string Project, string DisplayName)> Projects(string user, string index) =>
        Query("SELECT project, max(name) FROM releases WHERE user = $u AND idx = $i GROUP BY project ORDER BY project;",
            r => (r.GetString(0), r.GetString(1)), ("$u", user), ("$i", index));

    public IReadOnlyList<ReleaseRecord> Releases(string user, string index, string project) =>
        Query("SELECT user, idx, project, version, name, metadata, created FROM releases WHERE user = $u AND idx = $i AND project = $p;",
            ReadRelease, ("$u", user), ("$i", index), ("$p", project));

    public IReadOnlyList<ReleaseRecord> ReleasesWithMetadataKey(string user, string index, string key) =>
        Query("SELECT user, idx, project, version, name, metadata, created FROM releases WHERE user = $u AND idx = $i AND instr(metadata, $k) > 0;",
            ReadRelease, ("$u", user), ("$i", index), ("$k", "\"" + key + "\""));

    public ReleaseRecord? Release(string user, string index, string project, string version) =>
        Query("SELECT user, idx, project, version, name, metadata, created FROM releases WHERE user = $u AND idx = $i AND project = $p AND version = $v;",
            ReadRelease, ("$u", user), ("$i", index), ("$p", project), ("$v", version)).FirstOrDefault();

    public IReadOnlyList<FileRecord> Files(string user, string index, string project) =>
        Query(ProjectFilesSql, ReadFile, ("$u", user), ("$i", index), ("$p", project));

    /// <summary>
    /// A project's files, through the release index. Without statistics SQLite prefers the primary key (user, idx,
    /// filename), which gives the order for free but reads every file of the index to find the project's few: a
    /// second per uncached page and per upload at 1,000,000 files, where this takes a millisecond.
    /// </summary>
    internal const string ProjectFilesSql =
        FileColumnList + " FROM files INDEXED BY files_by_release WHERE user = $u AND idx = $i AND project = $p ORDER BY filename;";

    public IReadOnlyList<FileRecord> IndexFiles(string user, string index) =>
        Query(FileColumns + " WHERE user = $u AND idx = $i ORDER BY filename;", ReadFile, ("$u", user), ("$i", index));

    public FileRecord? File(string user, string index, string fileName) =>
        Query(FileColumns + " WHERE user = $u AND idx = $i AND filename = $f;", ReadFile, ("$u", user), ("$i", index), ("$f", fileName))
            .FirstOrDefault();

    /// <summary>Every file row of every index (what the served tree must hold).</summary>
    public IReadOnlyList<FileRecord> AllFiles() => Query(FileColumns + " ORDER BY user, idx, filename;", ReadFile);

    public IReadOnlyList<FileRecord> FilesWithSha256Prefix(string sha256Prefix) =>
        Query(FileColumns + " WHERE sha256 >= $p AND sha256 < $p || 'g';", ReadFile, ("$p", sha256Prefix));

    public byte[]? CoreMetadata(string sha256) =>
        Query("SELECT content FROM core_metadata WHERE sha256 = $s;", r => (byte[])r[0], ("$s", sha256)).FirstOrDefault();

    public string? PrefetchStatus(string user, string index) =>
        Query("SELECT status FROM prefetch_status WHERE user = $u AND idx = $i;", r => r.GetString(0), ("$u", user), ("$i", index)).FirstOrDefault();

    /// <summary>A range over the sha256 index: a lowercase hex hash starting with the prefix sorts below the prefix followed by 'g'.</summary>
    public HashSet<string> ReferencedBlobs(string sha256Prefix = "") =>
        Query("SELECT DISTINCT sha256 FROM files WHERE sha256 >= $p AND sha256 < $p || 'g';", r => r.GetString(0), ("$p", sha256Prefix))
            .ToHashSet(StringComparer.Ordinal);

    public bool IsBlobReferenced(string sha256) =>
        Query("SELECT 1 FROM files WHERE sha256 = $s LIMIT 1;", r => true, ("$s", sha256)).Count > 0;

    public (long Count, long Bytes) BlobTotals() =>
        Query("SELECT count(*), coalesce(sum(size), 0) FROM (SELECT max(size) AS size FROM files GROUP BY sha256);",
            r => (r.GetInt64(0), r.GetInt64(1))).Single();

    /// <summary>The serial as stored, which another process writing the same file (layout apply) may have advanced.</summary>
    public long StoredSerial() =>
        Convert.ToInt64(Query("SELECT value FROM meta WHERE key = 'serial';", r => r.GetValue(0)).Single(), CultureInfo.InvariantCulture);

    private const string FileColumnList =
        "SELECT user, idx, filename, project, version, kind, sha256, size, uploaded, requires_python, metadata_sha256, log";

    private const string FileColumns = FileColumnList + " FROM files";

    private static UserRecord ReadUser(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r.GetString(5)))
        {
            Groups = System.Text.Json.JsonSerializer.Deserialize<string[]>(r.GetString(6)) ?? [],
        };

    private static ReleaseRecord ReadRelease(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Time(r.GetString(6)));

    private static FileRecord ReadFile(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), FileKinds.Parse(r.GetString(5)), r.GetString(6),
            r.GetInt64(7), Time(r.GetString(8)), r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10), r.GetString(11));

    private protected static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private protected List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] args)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var cmd = SqliteMetadataStore.Command(Connection, sql, Transaction, args);
            using var reader = cmd.ExecuteReader();
            var list = new List<T>();
            while (reader.Read())
            {
                list.Add(map(reader));
            }
            return list;
        }
        catch (SqliteException e)
        {
            throw SqliteMetadataStore.Unavailable(e);
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
            using var cmd = SqliteMetadataStore.Command(Connection, sql, Transaction, args);
            return cmd.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            throw SqliteMetadataStore.Unavailable(e);
        }
        finally
        {
            StorageMeter.Record(StorageMeter.Statement, start);
        }
    }

    public virtual void Dispose()
    {
        Connection.Dispose();
        GC.SuppressFinalize(this);
    }
}
