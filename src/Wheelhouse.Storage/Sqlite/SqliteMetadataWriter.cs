using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Wheelhouse.Storage.Sqlite;

/// <summary>The SQLite <see cref="IMetadataWriter"/>: one immediate transaction, holding the store's writer lock.</summary>
internal sealed class SqliteMetadataWriter : SqliteMetadataReader, IMetadataWriter, IBulkLoadTarget
{
    private readonly SqliteMetadataStore _database;
    private bool _done;

    internal SqliteMetadataWriter(SqliteConnection connection, SqliteTransaction transaction, SqliteMetadataStore database)
        : base(connection)
    {
        Transaction = transaction;
        _database = database;
    }

    public void InsertUser(UserRecord u) =>
        Execute("INSERT INTO users (name, password_hash, email, title, description, created, groups) VALUES ($n, $p, $e, $t, $d, $c, $g);",
            ("$n", u.Name), ("$p", u.PasswordHash), ("$e", u.Email), ("$t", u.Title), ("$d", u.Description), ("$c", Time(u.Created)),
            ("$g", Groups(u)));

    public void UpdateUser(UserRecord u) =>
        Execute("UPDATE users SET password_hash = $p, email = $e, title = $t, description = $d, groups = $g WHERE name = $n;",
            ("$n", u.Name), ("$p", u.PasswordHash), ("$e", u.Email), ("$t", u.Title), ("$d", u.Description), ("$g", Groups(u)));

    private static string Groups(UserRecord u) => System.Text.Json.JsonSerializer.Serialize(u.Groups);

    public void DeleteUser(string name)
    {
        Execute("DELETE FROM indexes WHERE user = $n;", ("$n", name));
        Execute("DELETE FROM users WHERE name = $n;", ("$n", name));
    }

    public void InsertIndex(IndexRecord i) =>
        Execute("INSERT INTO indexes (user, name, config) VALUES ($u, $n, $c);", ("$u", i.User), ("$n", i.Name), ("$c", i.ConfigJson));

    public void UpdateIndex(IndexRecord i) =>
        Execute("UPDATE indexes SET config = $c WHERE user = $u AND name = $n;", ("$u", i.User), ("$n", i.Name), ("$c", i.ConfigJson));

    public void DeleteIndex(string user, string name) =>
        Execute("DELETE FROM indexes WHERE user = $u AND name = $n;", ("$u", user), ("$n", name));

    public void UpsertRelease(ReleaseRecord r) =>
        Execute("""
            INSERT INTO releases (user, idx, project, version, name, metadata, created) VALUES ($u, $i, $p, $v, $n, $m, $c)
            ON CONFLICT (user, idx, project, version) DO UPDATE SET name = excluded.name, metadata = excluded.metadata;
            """,
            ("$u", r.User), ("$i", r.Index), ("$p", r.Project), ("$v", r.Version), ("$n", r.DisplayName), ("$m", r.MetadataJson),
            ("$c", Time(r.Created)));

    public void UpsertFile(FileRecord f) =>
        Execute("""
            INSERT OR REPLACE INTO files (user, idx, filename, project, version, kind, sha256, size, uploaded, requires_python, metadata_sha256, log)
            VALUES ($u, $i, $f, $p, $v, $k, $s, $z, $t, $r, $m, $l);
            """,
            ("$u", f.User), ("$i", f.Index), ("$f", f.FileName), ("$p", f.Project), ("$v", f.Version), ("$k", f.Kind.DevpiName()), ("$s", f.Sha256),
            ("$z", f.Size), ("$t", Time(f.Uploaded)), ("$r", f.RequiresPython), ("$m", f.MetadataSha256), ("$l", f.LogJson));

    public void PutCoreMetadata(string sha256, byte[] content) =>
        Execute("INSERT OR IGNORE INTO core_metadata (sha256, content) VALUES ($s, $c);", ("$s", sha256), ("$c", content));

    public void PutPrefetchStatus(string user, string index, string statusJson) =>
        Execute("""
            INSERT INTO prefetch_status (user, idx, status) VALUES ($u, $i, $s) ON CONFLICT (user, idx) DO UPDATE SET status = excluded.status;
            """, ("$u", user), ("$i", index), ("$s", statusJson));

    public void DeleteFile(string user, string index, string fileName) =>
        Execute("DELETE FROM files WHERE user = $u AND idx = $i AND filename = $f;", ("$u", user), ("$i", index), ("$f", fileName));

    public void DeleteRelease(string user, string index, string project, string version) =>
        Execute("DELETE FROM releases WHERE user = $u AND idx = $i AND project = $p AND version = $v;",
            ("$u", user), ("$i", index), ("$p", project), ("$v", version));

    public void DeleteProject(string user, string index, string project) =>
        Execute("DELETE FROM releases WHERE user = $u AND idx = $i AND project = $p;", ("$u", user), ("$i", index), ("$p", project));

    public long Commit() => CommitWith("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'serial' RETURNING value;");

    /// <summary>A bulk load's commit: the copy keeps the source's serial and identity (see <see cref="MetadataCopier"/>).</summary>
    public long CommitAs(long serial, string uuid)
    {
        Execute("UPDATE meta SET value = $u WHERE key = 'uuid';", ("$u", uuid));
        var committed = CommitWith("UPDATE meta SET value = $s WHERE key = 'serial' RETURNING value;", ("$s", serial.ToString(CultureInfo.InvariantCulture)));
        _database.Book.Adopted(committed);
        _database.IdentityLoaded(uuid);
        return committed;
    }

    private long CommitWith(string advance, params (string Name, object? Value)[] args)
    {
        long serial;
        try
        {
            serial = Convert.ToInt64(SqliteMetadataStore.Scalar(Connection, advance, Transaction, args), CultureInfo.InvariantCulture);
            Transaction!.Commit();
        }
        catch (SqliteException e)
        {
            throw SqliteMetadataStore.Unavailable(e);
        }
        Transaction.Dispose();
        Transaction = null; // later reads on this connection (refreshing caches) run outside any transaction
        _database.Book.Committed(serial);
        return serial;
    }

    public bool AdoptOtherProcessesSerial() => _database.Book.AdoptIfBehind(StoredSerial());

    public override void Dispose()
    {
        if (_done)
        {
            return;
        }
        _done = true;
        Transaction?.Dispose();
        base.Dispose();
        _database.WriterDone();
    }
}
