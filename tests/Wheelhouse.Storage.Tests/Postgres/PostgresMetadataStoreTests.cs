using Npgsql;
using Wheelhouse.Storage.Postgres;
using Wheelhouse.Storage.Sqlite;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Storage.Tests.Postgres;

/// <summary>The PostgreSQL store on the shared throw-away cluster: schema, serials across processes, notifications, copies.</summary>
[Integration]
public sealed class PostgresMetadataStoreTests : IDisposable
{
    private readonly PostgresCluster _cluster = PostgresCluster.Shared;
    private readonly string _connectionString;
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-pg-store-").FullName;

    public PostgresMetadataStoreTests() => _connectionString = _cluster.ConnectionString(_cluster.CreateDatabase("store"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static UserRecord User(string name) => new(name, "hash", "", "", "", DateTimeOffset.UtcNow);

    [Fact]
    public async Task Serial_grows_by_one_per_commit_survives_reopening_and_a_rollback_takes_none()
    {
        string uuid;
        using (var db = PostgresMetadataStore.Open(_connectionString))
        {
            uuid = db.Uuid;
            db.Serial.Should().Be(0);
            using (var w = await db.WriteAsync())
            {
                w.InsertUser(User("a"));
                w.Commit().Should().Be(1);
            }
            using (var w = await db.WriteAsync())
            {
                w.InsertUser(User("rolled-back")); // disposed uncommitted
            }
            using (var w = await db.WriteAsync())
            {
                w.InsertUser(User("b"));
                w.Commit().Should().Be(2);
            }
        }
        using var reopened = PostgresMetadataStore.Open(_connectionString);
        reopened.Serial.Should().Be(2);
        reopened.Uuid.Should().Be(uuid).And.HaveLength(32);
        using var reader = reopened.Read();
        reader.Users().Select(u => u.Name).Should().Equal("a", "b");
        reader.StoredSerial().Should().Be(2);
    }

    [Fact]
    public async Task Writers_in_two_processes_take_turns_and_serials_stay_gap_free_and_ordered()
    {
        // Two stores on one database stand for two server processes: each has its own pool and writer lock.
        using var first = PostgresMetadataStore.Open(_connectionString);
        using var second = PostgresMetadataStore.Open(_connectionString);
        var serials = new System.Collections.Concurrent.ConcurrentBag<long>();
        var counter = 0;
        async Task WriteMany(PostgresMetadataStore store, string prefix)
        {
            for (var i = 0; i < 40; i++)
            {
                using var w = await store.WriteAsync();
                // Read-modify-write under the lock: lost updates would show as a count below 80.
                var seen = w.Users().Count;
                Interlocked.Increment(ref counter);
                w.InsertUser(User($"{prefix}-{i:D2}-{seen}"));
                serials.Add(w.Commit());
            }
        }
        await Task.WhenAll(Task.Run(() => WriteMany(first, "p1")), Task.Run(() => WriteMany(second, "p2")));

        serials.Order().Should().Equal(Enumerable.Range(1, 80).Select(i => (long)i), "every commit takes the next serial, none twice, none skipped");
        using var reader = first.Read();
        var users = reader.Users();
        users.Should().HaveCount(80);
        // Each writer saw every commit before it: the numbers of users seen are exactly 0..79, once each.
        users.Select(u => int.Parse(u.Name.Split('-')[2])).Order().Should().Equal(Enumerable.Range(0, 80));
        (first.OtherProcessCommitsPending || second.OtherProcessCommitsPending).Should().BeTrue("each skipped the other's serials");
    }

    [Fact]
    public async Task A_writer_in_another_process_waits_until_the_first_commits_then_sees_its_rows()
    {
        using var first = PostgresMetadataStore.Open(_connectionString);
        using var second = PostgresMetadataStore.Open(_connectionString);
        var w1 = await first.WriteAsync();
        w1.InsertUser(User("one"));
        var waiting = second.WriteAsync();
        await Task.Delay(300);
        waiting.IsCompleted.Should().BeFalse("the serial row is locked by the first writer");
        w1.Commit().Should().Be(1);
        w1.Dispose();
        using var w2 = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        w2.User("one").Should().NotBeNull("the second writer starts after the first committed and sees it");
        w2.InsertUser(User("two"));
        w2.Commit().Should().Be(2);
    }

    [Fact]
    public async Task A_reader_keeps_one_snapshot_while_others_commit()
    {
        using var db = PostgresMetadataStore.Open(_connectionString);
        using var reader = db.Read();
        reader.Users().Should().BeEmpty();
        using (var w = await db.WriteAsync())
        {
            w.InsertUser(User("later"));
            w.Commit();
        }
        reader.Users().Should().BeEmpty("a reader is one consistent view");
        reader.StoredSerial().Should().Be(0);
        using var fresh = db.Read();
        fresh.Users().Should().ContainSingle();
    }

    [Fact]
    public async Task Every_commit_is_announced_to_listeners_in_other_processes_with_its_serial()
    {
        using var node = PostgresMetadataStore.Open(_connectionString);
        using var other = PostgresMetadataStore.Open(_connectionString);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<long>();
        using var stop = new CancellationTokenSource();
        var listening = node.ListenAsync(heard.Enqueue, stop.Token);
        await Task.Delay(300); // LISTEN registered
        using (var w = await other.WriteAsync())
        {
            w.InsertUser(User("x"));
            w.Commit();
        }
        using (var w = await other.WriteAsync())
        {
            w.InsertUser(User("rolled-back")); // never committed: never announced
        }
        using (var w = await other.WriteAsync())
        {
            w.InsertUser(User("y"));
            w.Commit();
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (heard.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await stop.CancelAsync();
        await listening;
        heard.Should().Equal(1L, 2L);
    }

    [Fact]
    public void A_newer_schema_is_refused_with_a_clear_message()
    {
        using (PostgresMetadataStore.Open(_connectionString))
        {
        }
        using (var c = new NpgsqlConnection(_connectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand("UPDATE schema_version SET version = 99;", c);
            cmd.ExecuteNonQuery();
        }
        var open = () => PostgresMetadataStore.Open(_connectionString);
        open.Should().Throw<InvalidOperationException>().WithMessage("*schema version 99*upgrade wheelhouse-server*");
    }

    [Fact]
    public void Nodes_starting_at_once_migrate_once()
    {
        var stores = Enumerable.Range(0, 4).AsParallel().Select(_ => PostgresMetadataStore.Open(_connectionString)).ToList();
        stores.Select(s => s.Uuid).Distinct().Should().ContainSingle("one identity for the installation");
        stores.ForEach(s => s.Dispose());
    }

    [Fact]
    public void A_wrong_password_or_a_missing_database_says_which_database_and_why_and_never_shows_the_password()
    {
        var wrong = _cluster.ConnectionString("postgres", password: "not-the-password-4711");
        var open = () => PostgresMetadataStore.Open(wrong);
        var e = open.Should().Throw<StorageUnavailableException>().Which;
        e.Message.Should().Contain("'postgres'").And.Contain($"127.0.0.1:{_cluster.Port}").And.Contain("password authentication failed")
            .And.NotContain("not-the-password-4711");

        var missing = () => PostgresMetadataStore.Open(_cluster.ConnectionString("no_such_db"));
        missing.Should().Throw<StorageUnavailableException>().WithMessage("*'no_such_db'*does not exist*").Which.Message.Should().NotContain(_cluster.Password);

        var closedPort = new NpgsqlConnectionStringBuilder(_connectionString) { Port = 1, Timeout = 3 }.ConnectionString;
        var unreachable = () => PostgresMetadataStore.Open(closedPort);
        unreachable.Should().Throw<StorageUnavailableException>().WithMessage("*127.0.0.1:1*refused*");
    }

    [Fact]
    public async Task A_copy_to_sqlite_and_back_keeps_every_row_the_serial_and_the_identity()
    {
        using var db = PostgresMetadataStore.Open(_connectionString);
        using (var w = await db.WriteAsync())
        {
            w.InsertUser(User("alice") with { Groups = ["dev"] });
            w.InsertIndex(new IndexRecord("alice", "dev", """{"type":"stage","bases":[]}"""));
            w.UpsertRelease(new ReleaseRecord("alice", "dev", "demo", "1.0", "Demo", """{"name":"Demo"}""", DateTimeOffset.UtcNow));
            w.PutCoreMetadata("ab" + new string('0', 62), [1, 2, 3]);
            w.UpsertFile(new FileRecord("alice", "dev", "demo-1.0-py3-none-any.whl", "demo", "1.0", FileKind.ReleaseFile, new string('c', 64), 42,
                new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), ">=3.9", "ab" + new string('0', 62), "[]"));
            w.Commit();
        }
        var sqlitePath = Path.Combine(_dir, "copy.sqlite");
        db.CopyTo(sqlitePath);
        using var sqlite = SqliteMetadataStore.Open(sqlitePath);
        sqlite.Serial.Should().Be(1);
        sqlite.Uuid.Should().Be(db.Uuid);

        var backConnectionString = _cluster.ConnectionString(_cluster.CreateDatabase("back"));
        using var back = PostgresMetadataStore.Open(backConnectionString);
        using (var source = sqlite.Read())
        {
            var counts = await MetadataCopier.CopyAsync(source, sqlite.Uuid, back, null, CancellationToken.None);
            counts.Should().Be(new MetadataCopier.Counts(1, 1, 1, 1, 1));
        }
        back.Serial.Should().Be(1);
        back.Uuid.Should().Be(db.Uuid);
        using (var c = new NpgsqlConnection(backConnectionString))
        {
            c.Open();
            using var analyzed = new NpgsqlCommand("SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('files', 'releases') AND last_analyze IS NOT NULL;", c);
            ((long)analyzed.ExecuteScalar()!).Should().Be(2, "a bulk load leaves statistics for the planner at once, not a minute later");
        }
        using var original = db.Read();
        using var copied = back.Read();
        copied.Users().Should().BeEquivalentTo(original.Users());
        copied.Indexes().Should().Equal(original.Indexes());
        copied.AllFiles().Should().Equal(original.AllFiles(), "times keep their 100 ns");
        copied.Releases("alice", "dev", "demo").Should().Equal(original.Releases("alice", "dev", "demo"));
        copied.CoreMetadata("ab" + new string('0', 62)).Should().Equal(1, 2, 3);

        using var again = back.Read();
        var copyAgain = () => MetadataCopier.CopyAsync(again, "x", back, null, CancellationToken.None);
        await copyAgain.Should().ThrowAsync<InvalidOperationException>().WithMessage("*not empty*");
    }

    [Fact]
    public async Task The_stored_serial_includes_every_commit_another_process_acknowledged_and_survives_a_lost_connection()
    {
        using var node = PostgresMetadataStore.Open(_connectionString);
        using var other = PostgresMetadataStore.Open(_connectionString);
        (await node.StoredSerialAsync(CancellationToken.None)).Should().Be(0);
        using (var w = await other.WriteAsync())
        {
            w.InsertUser(User("x"));
            w.Commit();
        }
        (await node.StoredSerialAsync(CancellationToken.None)).Should().Be(1, "the other process's commit was acknowledged before the call");
        node.Serial.Should().Be(0, "asking does not adopt the serial; taking in the change is the caller's");

        using (var c = new NpgsqlConnection(_connectionString))
        {
            c.Open();
            using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%stored_serial%' AND pid <> pg_backend_pid();", c);
            ((long)kill.ExecuteScalar()!).Should().Be(1, "the check keeps one connection of its own");
        }
        var lost = () => node.StoredSerialAsync(CancellationToken.None);
        await lost.Should().ThrowAsync<StorageUnavailableException>("its connection was terminated");
        using (var w = await other.WriteAsync())
        {
            w.InsertUser(User("y"));
            w.Commit();
        }
        (await node.StoredSerialAsync(CancellationToken.None)).Should().Be(2, "the next check connects again");
    }

    [Fact]
    public async Task A_listener_whose_connection_is_lost_is_told_so_and_can_listen_again()
    {
        using var node = PostgresMetadataStore.Open(_connectionString);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listening = node.ListenAsync(_ => { }, stop.Token);
        await Task.Delay(300);
        using (var c = new NpgsqlConnection(_connectionString))
        {
            c.Open();
            using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%';", c);
            ((long)kill.ExecuteScalar()!).Should().Be(1);
        }
        await FluentActions.Awaiting(() => listening).Should().ThrowAsync<StorageUnavailableException>();

        var heard = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var again = node.ListenAsync(heard.Enqueue, stop.Token);
        await Task.Delay(300);
        using (var w = await node.WriteAsync())
        {
            w.InsertUser(User("after"));
            w.Commit();
        }
        while (heard.IsEmpty && !stop.IsCancellationRequested)
        {
            await Task.Delay(20);
        }
        heard.Should().Equal(1L);
        await stop.CancelAsync();
        await again;
    }

    [Fact]
    public void Releases_stored_before_the_search_index_existed_are_indexed_by_its_migration()
    {
        using (var c = new NpgsqlConnection(_connectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand(PostgresMigrations.Scripts[0] + """
                CREATE TABLE schema_version (version integer NOT NULL); INSERT INTO schema_version VALUES (1);
                INSERT INTO users (name, password_hash, email, title, description, created) VALUES ('u', 'h', '', '', '', '2026-01-01T00:00:00Z');
                INSERT INTO indexes (username, name, config) VALUES ('u', 'dev', '{}');
                INSERT INTO releases VALUES ('u', 'dev', 'old-pkg', '1.0', 'Old_Pkg', '{"summary":"first"}', '2026-01-01T00:00:00Z');
                INSERT INTO releases VALUES ('u', 'dev', 'old-pkg', '2.0', 'Old_Pkg', '{"summary":"second","description":"legacy words"}', '2026-01-02T00:00:00Z');
                """, c);
            cmd.ExecuteNonQuery();
        }
        using var db = PostgresMetadataStore.Open(_connectionString);
        using var r = db.Read();
        var hit = r.Search(new SearchQuery("", ["legacy"], null, 10)).Should().ContainSingle().Subject;
        (hit.Project, hit.DisplayName, hit.Version, hit.Summary).Should().Be(("old-pkg", "Old_Pkg", "2.0", "second"));
        r.Search(new SearchQuery("old-pkg", [], null, 10)).Should().ContainSingle().Which.Match.Should().Be(SearchMatch.Exact);
    }
}
