using Microsoft.Data.Sqlite;
using Wheelhouse.Storage.Sqlite;

namespace Wheelhouse.Storage.Tests.Sqlite;

public sealed class SqliteMetadataStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-storage-").FullName;

    private string DbPath => Path.Combine(_dir, "wheelhouse.sqlite");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private static UserRecord User(string name) => new(name, "hash", "", "", "", DateTimeOffset.UtcNow);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_database_and_its_wal_files_are_readable_by_the_owner_only()
    {
        using (var db = SqliteMetadataStore.Open(DbPath))
        {
            using var writer = await db.WriteAsync();
            writer.InsertUser(User("alice"));
            writer.Commit();
            File.GetUnixFileMode(DbPath).Should().Be(SqliteMetadataStore.FileMode);
            File.GetUnixFileMode(DbPath + "-wal").Should().Be(SqliteMetadataStore.FileMode, "SQLite gives the WAL the database's mode");
        }
        SqliteConnection.ClearAllPools();
        File.SetUnixFileMode(DbPath, SqliteMetadataStore.FileMode | UnixFileMode.OtherRead); // as an older version or a wide umask left it
        using (SqliteMetadataStore.Open(DbPath))
        {
            File.GetUnixFileMode(DbPath).Should().Be(SqliteMetadataStore.FileMode);
        }
    }

    [Fact]
    public async Task A_commit_that_skips_another_process_serials_leaves_a_reload_pending_until_adopted()
    {
        using var server = SqliteMetadataStore.Open(DbPath);
        using (var other = SqliteMetadataStore.Open(DbPath)) // layout apply, beside the running server
        {
            using var writer = await other.WriteAsync();
            writer.InsertUser(User("from-layout"));
            writer.Commit().Should().Be(1);
        }
        using (var writer = await server.WriteAsync())
        {
            writer.InsertUser(User("from-request"));
            writer.Commit().Should().Be(2, "serials come from the file, so ours goes past the other process's");
        }
        server.Serial.Should().Be(2);
        server.OtherProcessCommitsPending.Should().BeTrue("serial 1 was never seen here, so memory may lack its changes");

        using (var writer = await server.WriteAsync())
        {
            writer.AdoptOtherProcessesSerial().Should().BeTrue();
            writer.AdoptOtherProcessesSerial().Should().BeFalse("nothing is left to take in");
        }
        server.Serial.Should().Be(2);
        server.OtherProcessCommitsPending.Should().BeFalse();

        using (var writer = await server.WriteAsync())
        {
            writer.InsertUser(User("next"));
            writer.Commit();
        }
        server.OtherProcessCommitsPending.Should().BeFalse("consecutive commits of our own skip nothing");
    }

    [Fact]
    public void Migrations_set_user_version_and_wal_and_keep_uuid_across_opens()
    {
        string uuid;
        using (var db = SqliteMetadataStore.Open(DbPath))
        {
            uuid = db.Uuid;
            db.Serial.Should().Be(0);
        }
        using (var again = SqliteMetadataStore.Open(DbPath))
        {
            again.Uuid.Should().Be(uuid);
        }
        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA user_version;";
        Convert.ToInt32(cmd.ExecuteScalar()).Should().Be(Migrations.Scripts.Length);
        cmd.CommandText = "PRAGMA journal_mode;";
        cmd.ExecuteScalar().Should().Be("wal");
    }

    [Fact]
    public void A_project_s_files_are_found_through_the_release_index_not_by_reading_the_whole_index()
    {
        using (SqliteMetadataStore.Open(DbPath))
        {
        }
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN " + SqliteMetadataReader.ProjectFilesSql;
        cmd.Parameters.AddWithValue("$u", "u");
        cmd.Parameters.AddWithValue("$i", "dev");
        cmd.Parameters.AddWithValue("$p", "pkg");
        var plan = new List<string>();
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }
        plan.Should().Contain(step => step.Contains("USING INDEX files_by_release (user=? AND idx=? AND project=?)"),
            "the primary key (user, idx, filename) would read every file of the index to find one project's");
    }

    [Fact]
    public void A_newer_schema_is_refused_with_a_clear_message()
    {
        using (SqliteMetadataStore.Open(DbPath))
        {
        }
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 99;";
            cmd.ExecuteNonQuery();
        }
        var open = () => SqliteMetadataStore.Open(DbPath);
        open.Should().Throw<InvalidOperationException>().WithMessage("*schema version 99*upgrade wheelhouse-server*");
    }

    [Fact]
    public async Task Serial_grows_with_each_commit_and_survives_reopening()
    {
        using (var db = SqliteMetadataStore.Open(DbPath))
        {
            using (var w = await db.WriteAsync())
            {
                w.InsertUser(User("a"));
                w.Commit().Should().Be(1);
            }
            using (var w = await db.WriteAsync())
            {
                w.InsertUser(User("b"));
                w.Commit().Should().Be(2);
            }
            db.Serial.Should().Be(2);
        }
        using var reopened = SqliteMetadataStore.Open(DbPath);
        reopened.Serial.Should().Be(2);
    }

    [Fact]
    public async Task User_groups_round_trip_and_default_to_none()
    {
        using var db = SqliteMetadataStore.Open(DbPath);
        using (var w = await db.WriteAsync())
        {
            w.InsertUser(User("plain"));
            w.InsertUser(User("qa") with { Groups = ["qa", "release"] });
            w.Commit();
        }
        using (var w = await db.WriteAsync())
        {
            w.UpdateUser(w.User("plain")! with { Groups = ["team-a"] });
            w.Commit();
        }
        using var r = db.Read();
        r.User("qa")!.Groups.Should().Equal("qa", "release");
        r.User("plain")!.Groups.Should().Equal("team-a");
    }

    [Fact]
    public async Task Uncommitted_writes_are_rolled_back_and_do_not_advance_the_serial()
    {
        using var db = SqliteMetadataStore.Open(DbPath);
        using (var w = await db.WriteAsync())
        {
            w.InsertUser(User("ghost"));
        }
        using var reader = db.Read();
        reader.User("ghost").Should().BeNull();
        db.Serial.Should().Be(0);
    }

    [Fact]
    public async Task Releases_files_and_core_metadata_round_trip_and_cascade_with_the_index()
    {
        using var db = SqliteMetadataStore.Open(DbPath);
        var now = DateTimeOffset.UtcNow;
        using (var w = await db.WriteAsync())
        {
            w.InsertUser(User("u"));
            w.InsertIndex(new IndexRecord("u", "dev", "{}"));
            w.UpsertRelease(new ReleaseRecord("u", "dev", "pkg", "1.0", "Pkg", """{"name":"Pkg"}""", now));
            w.PutCoreMetadata(new string('b', 64), [1, 2, 3]);
            w.UpsertFile(new FileRecord("u", "dev", "pkg-1.0.tar.gz", "pkg", "1.0", FileKind.ReleaseFile, new string('a', 64), 10, now, ">=3.8", new string('b', 64), "[]"));
            w.Commit();
        }
        using (var r = db.Read())
        {
            r.Projects("u", "dev").Should().Equal(("pkg", "Pkg"));
            r.Files("u", "dev", "pkg").Single().RequiresPython.Should().Be(">=3.8");
            r.CoreMetadata(new string('b', 64)).Should().Equal(1, 2, 3);
            r.ReferencedBlobs().Should().Equal(new string('a', 64));
            r.ReferencedBlobs("aa").Should().Equal(new string('a', 64));
            r.ReferencedBlobs("ab").Should().BeEmpty();
            r.ReferencedBlobs(new string('a', 64)).Should().Equal(new string('a', 64));
        }
        using (var w = await db.WriteAsync())
        {
            w.DeleteIndex("u", "dev");
            w.Commit();
        }
        using var after = db.Read();
        after.File("u", "dev", "pkg-1.0.tar.gz").Should().BeNull();
        after.IsBlobReferenced(new string('a', 64)).Should().BeFalse();
    }

    [Fact]
    public async Task Writers_are_serialized()
    {
        using var db = SqliteMetadataStore.Open(DbPath);
        var first = await db.WriteAsync();
        var second = db.WriteAsync();
        await Task.Delay(100);
        second.IsCompleted.Should().BeFalse("a second writer waits for the first");
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }
}
