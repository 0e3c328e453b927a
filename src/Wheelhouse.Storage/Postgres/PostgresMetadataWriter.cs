using Npgsql;

namespace Wheelhouse.Storage.Postgres;

/// <summary>
/// The PostgreSQL <see cref="IMetadataWriter"/>: one transaction that began by locking the serial row, so it is the
/// only writer in every process until it commits or is disposed (which rolls back and lets the next one in).
/// </summary>
internal sealed class PostgresMetadataWriter : PostgresMetadataReader, IMetadataWriter, IBulkLoadTarget
{
    private bool _done;

    internal PostgresMetadataWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresMetadataStore store)
        : base(connection, transaction, store)
    {
    }

    public void InsertUser(UserRecord u) =>
        Execute("INSERT INTO users (name, password_hash, email, title, description, created, groups) VALUES (@n, @p, @e, @t, @d, @c, @g);",
            ("n", u.Name), ("p", u.PasswordHash), ("e", u.Email), ("t", u.Title), ("d", u.Description), ("c", Time(u.Created)), ("g", Groups(u)));

    public void UpdateUser(UserRecord u) =>
        Execute("UPDATE users SET password_hash = @p, email = @e, title = @t, description = @d, groups = @g WHERE name = @n;",
            ("n", u.Name), ("p", u.PasswordHash), ("e", u.Email), ("t", u.Title), ("d", u.Description), ("g", Groups(u)));

    private static string Groups(UserRecord u) => System.Text.Json.JsonSerializer.Serialize(u.Groups);

    public void DeleteUser(string name)
    {
        Execute("DELETE FROM indexes WHERE username = @n;", ("n", name));
        Execute("DELETE FROM users WHERE name = @n;", ("n", name));
    }

    public void InsertIndex(IndexRecord i) =>
        Execute("INSERT INTO indexes (username, name, config) VALUES (@u, @n, @c);", ("u", i.User), ("n", i.Name), ("c", i.ConfigJson));

    public void UpdateIndex(IndexRecord i) =>
        Execute("UPDATE indexes SET config = @c WHERE username = @u AND name = @n;", ("u", i.User), ("n", i.Name), ("c", i.ConfigJson));

    public void DeleteIndex(string user, string name) =>
        Execute("DELETE FROM indexes WHERE username = @u AND name = @n;", ("u", user), ("n", name));

    public void UpsertRelease(ReleaseRecord r) =>
        Execute("""
            INSERT INTO releases (username, idx, project, version, name, metadata, created) VALUES (@u, @i, @p, @v, @n, @m, @c)
            ON CONFLICT (username, idx, project, version) DO UPDATE SET name = excluded.name, metadata = excluded.metadata;
            """,
            ("u", r.User), ("i", r.Index), ("p", r.Project), ("v", r.Version), ("n", r.DisplayName), ("m", r.MetadataJson), ("c", Time(r.Created)));

    public void UpsertFile(FileRecord f) =>
        Execute("""
            INSERT INTO files (username, idx, filename, project, version, kind, sha256, size, uploaded, requires_python, metadata_sha256, log)
            VALUES (@u, @i, @f, @p, @v, @k, @s, @z, @t, @r, @m, @l)
            ON CONFLICT (username, idx, filename) DO UPDATE SET project = excluded.project, version = excluded.version, kind = excluded.kind,
                sha256 = excluded.sha256, size = excluded.size, uploaded = excluded.uploaded, requires_python = excluded.requires_python,
                metadata_sha256 = excluded.metadata_sha256, log = excluded.log;
            """,
            ("u", f.User), ("i", f.Index), ("f", f.FileName), ("p", f.Project), ("v", f.Version), ("k", f.Kind.DevpiName()), ("s", f.Sha256),
            ("z", f.Size), ("t", Time(f.Uploaded)), ("r", f.RequiresPython), ("m", f.MetadataSha256), ("l", f.LogJson));

    public void PutCoreMetadata(string sha256, byte[] content) =>
        Execute("INSERT INTO core_metadata (sha256, content) VALUES (@s, @c) ON CONFLICT (sha256) DO NOTHING;", ("s", sha256), ("c", content));

    public void PutPrefetchStatus(string user, string index, string statusJson) =>
        Execute("""
            INSERT INTO prefetch_status (username, idx, status) VALUES (@u, @i, @s) ON CONFLICT (username, idx) DO UPDATE SET status = excluded.status;
            """, ("u", user), ("i", index), ("s", statusJson));

    public void DeleteFile(string user, string index, string fileName) =>
        Execute("DELETE FROM files WHERE username = @u AND idx = @i AND filename = @f;", ("u", user), ("i", index), ("f", fileName));

    public void DeleteRelease(string user, string index, string project, string version) =>
        Execute("DELETE FROM releases WHERE username = @u AND idx = @i AND project = @p AND version = @v;",
            ("u", user), ("i", index), ("p", project), ("v", version));

    public void DeleteProject(string user, string index, string project) =>
        Execute("DELETE FROM releases WHERE username = @u AND idx = @i AND project = @p;", ("u", user), ("i", index), ("p", project));

    public long Commit() => CommitWith("UPDATE serial SET value = value + 1 WHERE id = 1 RETURNING value;");

    /// <summary>A bulk load's commit: the copy keeps the source's serial and identity (see <see cref="MetadataCopier"/>).</summary>
    public long CommitAs(long serial, string uuid)
    {
        Execute("UPDATE meta SET value = @u WHERE key = 'uuid';", ("u", uuid));
        var committed = CommitWith("UPDATE serial SET value = @s WHERE id = 1 RETURNING value;", ("s", serial));
        Store.Book.Adopted(committed);
        Store.IdentityLoaded(uuid);
        AnalyzeAfterBulkLoad();
        return committed;
    }

    /// <summary>
    /// Statistics for the rows just loaded, at once: tables never analyzed have none, and PostgreSQL then looks a file
    /// up by name through files_by_release and lists a project's files through files_pkey, reading every file of the
    /// index for each (bench/scale: hours for a 50,000-file transaction). Autovacuum would analyze them only a minute
    /// later. On a connection of its own, outside this writer's transaction, whose rollback would undo the statistics.
    /// </summary>
    private void AnalyzeAfterBulkLoad()
    {
        try
        {
            using var connection = Store.OpenConnection();
            PostgresSql.Execute(connection, "ANALYZE;");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or StorageUnavailableException)
        {
            // The copy is committed; autovacuum analyzes the tables later.
        }
    }

    private long CommitWith(string advance, params (string Name, object? Value)[] args)
    {
        long serial;
        try
        {
            using (var cmd = PostgresSql.Command(Connection, advance, Transaction, args))
            {
                serial = (long)cmd.ExecuteScalar()!;
            }
            // Sent by PostgreSQL only if the transaction commits, after it does, in commit order.
            using (var notify = PostgresSql.Command(Connection, "SELECT pg_notify(@c, @s);", Transaction,
                [("c", PostgresMetadataStore.SerialChannel), ("s", serial.ToString(System.Globalization.CultureInfo.InvariantCulture))]))
            {
                notify.ExecuteNonQuery();
            }
            Transaction!.Commit();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Store.Unavailable(e);
        }
        Transaction.Dispose();
        Store.Book.Committed(serial);
        // What the unit of work does after its commit (deleting blobs no row references any more) must not interleave
        // with another node's write publishing the same content before its commit: the serial row is locked again
        // until this writer is disposed, so that write either committed before (its row is seen) or starts after.
        try
        {
            Transaction = Connection.BeginTransaction(System.Data.IsolationLevel.ReadCommitted);
            using var relock = PostgresSql.Command(Connection, "SELECT value FROM serial WHERE id = 1 FOR UPDATE;", Transaction, []);
            relock.ExecuteScalar();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // Committed all the same: the caller must hear so; what follows fails on its own if the database is gone.
            Transaction = null;
        }
        return serial;
    }

    public bool AdoptOtherProcessesSerial() => Store.Book.AdoptIfBehind(StoredSerial());

    public override void Dispose()
    {
        if (_done)
        {
            return;
        }
        _done = true;
        base.Dispose(); // an uncommitted transaction rolls back, which releases the serial row
        Store.WriterDone();
    }
}
