using Microsoft.Data.Sqlite;
using Wheelhouse.Storage.Files;

namespace Wheelhouse.Storage.Tests;

/// <summary>
/// The unit of work directly, on a temporary data directory: what each change does to rows, served names and blobs,
/// and a crash injected before each commit step of each kind of write, followed by a restart on the same directory.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnitOfWorkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-uow-").FullName;
    private PackageStore _store;

    private readonly StorageSettings _storage = Wheelhouse.Testing.Postgres.TestStorage.Fresh("uow");

    public UnitOfWorkTests() => _store = PackageStore.Open(_dir, _storage);

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private sealed class SimulatedCrash : Exception;

    private string TreeRoot => Path.Combine(_dir, ServedTree.DirectoryName);

    private string BlobPath(string sha) => Path.Combine(_dir, "+files", "sha256", sha[..2], sha[2..]);

    private async Task<PendingBlob> BlobAsync(byte[] content)
    {
        var blob = _store.CreateBlob();
        await blob.WriteAsync(content, CancellationToken.None);
        await blob.FinishAsync();
        return blob;
    }

    private static FileRecord File(string user, string index, string name, string sha, long size) =>
        new(user, index, name, "demo", "1.0", FileKind.ReleaseFile, sha, size, DateTimeOffset.UtcNow, "", null, "[]");

    private static ReleaseRecord Release(string user, string index) =>
        new(user, index, "demo", "1.0", "demo", "{}", DateTimeOffset.UtcNow);

    private async Task IndexAsync(string user, string index, bool addUser = true)
    {
        using var work = await _store.BeginAsync();
        if (addUser)
        {
            work.AddUser(new UserRecord(user, "hash", "", "", "", DateTimeOffset.UtcNow));
        }
        work.AddIndex(new IndexRecord(user, index, "{}"));
        work.PutRelease(Release(user, index));
        work.Commit();
    }

    /// <summary>Uploads content as demo-1.0.tar.gz (or <paramref name="name"/>) and returns its row.</summary>
    private async Task<FileRecord> AddAsync(string user, string index, byte[] content, string name = "demo-1.0.tar.gz")
    {
        await using var blob = await BlobAsync(content);
        var file = File(user, index, name, blob.Sha256, content.Length);
        using var work = await _store.BeginAsync();
        work.AddFile(file, blob);
        work.Commit();
        return file;
    }

    private string? ServedPath(FileRecord f) => new ServedTree(_dir, new BlobStore(_dir)).PathOf(f);

    private List<string> ServedNames() =>
        Directory.EnumerateFiles(TreeRoot, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p) != ServedTree.MarkerFileName && !Path.GetFileName(p).StartsWith('.')).ToList();

    private IReadOnlyList<FileRecord> Rows()
    {
        using var reader = _store.Read();
        return reader.AllFiles();
    }

    private List<string> Blobs() =>
        Directory.EnumerateFiles(Path.Combine(_dir, "+files", "sha256"), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetFileName(Path.GetDirectoryName(p)) + Path.GetFileName(p)).ToList();

    /// <summary>Every served name is a committed row's, with that row's content: nginx never serves what is not stored.</summary>
    private void NoOrphanServedName()
    {
        var expected = Rows().ToDictionary(f => ServedPath(f)!, f => f.Sha256);
        foreach (var name in ServedNames())
        {
            expected.Should().ContainKey(name, "a served name must belong to a committed row");
            Digest(name).Should().Be(expected[name], "a served name serves its row's content");
        }
    }

    private static string Digest(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.IO.File.ReadAllBytes(path)));

    [Fact]
    public async Task Adding_a_file_publishes_its_blob_commits_its_row_links_its_name_and_advances_the_serial()
    {
        await IndexAsync("u", "dev");
        var before = _store.Serial;
        var file = await AddAsync("u", "dev", [1, 2, 3]);
        _store.Serial.Should().Be(before + 1);
        Rows().Should().ContainSingle().Which.Sha256.Should().Be(file.Sha256);
        System.IO.File.Exists(BlobPath(file.Sha256)).Should().BeTrue();
        System.IO.File.ReadAllBytes(ServedPath(file)!).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task A_wheel_gets_its_core_metadata_beside_its_served_name()
    {
        await IndexAsync("u", "dev");
        await using var blob = await BlobAsync([9]);
        var file = File("u", "dev", "demo-1.0-py3-none-any.whl", blob.Sha256, 1) with { MetadataSha256 = new string('c', 64) };
        using (var work = await _store.BeginAsync())
        {
            work.AddFile(file, blob, "Metadata-Version: 2.1\n"u8.ToArray());
            work.Commit();
        }
        System.IO.File.ReadAllText(ServedPath(file)! + ServedTree.MetadataSuffix).Should().Be("Metadata-Version: 2.1\n");
        using var reader = _store.Read();
        reader.CoreMetadata(new string('c', 64)).Should().NotBeNull();
    }

    [Fact]
    public async Task A_bulk_write_links_every_file_from_several_threads_and_reports_each_that_cannot_be()
    {
        await IndexAsync("u", "dev");
        _store.Dispose();
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        _store = PackageStore.Open(_dir, _storage, problems.Add);
        var files = new List<FileRecord>();
        var blobs = new List<PendingBlob>();
        using (var work = await _store.BeginAsync())
        {
            for (var i = 0; i < 300; i++)
            {
                var blob = _store.CreateBulkBlob();
                blob.Write(BitConverter.GetBytes(i));
                blob.Finish();
                blobs.Add(blob);
                var wheel = i % 3 == 0;
                var metadataSha = wheel ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(-i))) : null;
                var file = File("u", "dev", wheel ? $"demo-1.0.{i}-py3-none-any.whl" : $"demo-1.0.{i}.tar.gz", blob.Sha256, 4) with { MetadataSha256 = metadataSha };
                work.AddFile(file, blob, wheel ? System.Text.Encoding.ASCII.GetBytes($"Metadata-Version: 2.1\nName: demo{i}\n") : null);
                files.Add(file);
            }
            var orphan = File("u", "dev", "orphan-1.0.tar.gz", new string('e', 64), 1);
            work.AddFile(orphan);
            work.Commit();
        }
        foreach (var blob in blobs)
        {
            await blob.DisposeAsync();
        }
        problems.Should().ContainSingle().Which.Should().Contain("orphan-1.0.tar.gz").And.Contain("missing");
        ServedNames().Should().HaveCount(300 + 100);
        for (var i = 0; i < files.Count; i++)
        {
            var path = ServedPath(files[i])!;
            System.IO.File.ReadAllBytes(path).Should().Equal(BitConverter.GetBytes(i));
            new FileInfo(path).UnixFileMode.Should().Be(BlobStore.BlobMode);
            new DirectoryInfo(Path.GetDirectoryName(path)!).UnixFileMode.Should().Be(ServedTree.DirectoryMode);
            if (i % 3 == 0)
            {
                System.IO.File.ReadAllText(path + ServedTree.MetadataSuffix).Should().Be($"Metadata-Version: 2.1\nName: demo{i}\n");
            }
        }
    }

    [Fact]
    public async Task Replacing_a_file_unlinks_the_old_name_and_deletes_its_blob_unless_another_row_keeps_it()
    {
        await IndexAsync("u", "dev");
        await IndexAsync("u", "other", addUser: false);
        var shared = await AddAsync("u", "dev", [1]);
        await AddAsync("u", "other", [1]); // the same content in another index
        var replacedAlone = await AddAsync("u", "dev", [2], "demo-1.0.zip");

        var first = await AddAsync("u", "dev", [3]); // replaces demo-1.0.tar.gz (content [1], still in u/other)
        var second = await AddAsync("u", "dev", [4], "demo-1.0.zip"); // replaces content [2], referenced nowhere else

        System.IO.File.Exists(ServedPath(shared)!).Should().BeFalse();
        System.IO.File.Exists(ServedPath(replacedAlone)!).Should().BeFalse();
        System.IO.File.Exists(ServedPath(first)!).Should().BeTrue();
        System.IO.File.Exists(ServedPath(second)!).Should().BeTrue();
        Blobs().Should().BeEquivalentTo([shared.Sha256, first.Sha256, second.Sha256], "only the blob nothing references is deleted");
        NoOrphanServedName();
    }

    [Fact]
    public async Task Removing_a_file_a_release_a_project_or_an_index_removes_names_rows_and_unreferenced_blobs()
    {
        await IndexAsync("u", "dev");
        var a = await AddAsync("u", "dev", [1], "demo-1.0.tar.gz");
        var b = await AddAsync("u", "dev", [2], "demo-1.0.zip");
        using (var work = await _store.BeginAsync())
        {
            work.RemoveFile(a);
            work.Commit();
        }
        Blobs().Should().BeEquivalentTo([b.Sha256]);
        using (var work = await _store.BeginAsync())
        {
            work.RemoveRelease("u", "dev", "demo", "1.0");
            work.Commit();
        }
        Rows().Should().BeEmpty();
        Blobs().Should().BeEmpty();
        ServedNames().Should().BeEmpty();

        using (var work = await _store.BeginAsync())
        {
            work.PutRelease(Release("u", "dev"));
            work.Commit();
        }
        var c = await AddAsync("u", "dev", [3]);
        using (var work = await _store.BeginAsync())
        {
            work.RemoveProject("u", "dev", "demo");
            work.Commit();
        }
        Blobs().Should().NotContain(c.Sha256);

        using (var work = await _store.BeginAsync())
        {
            work.PutRelease(Release("u", "dev"));
            work.Commit();
        }
        var d = await AddAsync("u", "dev", [4]);
        using (var work = await _store.BeginAsync())
        {
            work.RemoveIndex("u", "dev");
            work.Commit();
        }
        Blobs().Should().NotContain(d.Sha256);
        ServedNames().Should().BeEmpty();
    }

    [Fact]
    public async Task Removing_a_user_deletes_the_blobs_of_all_its_indexes()
    {
        await IndexAsync("gone", "a");
        await IndexAsync("gone", "b", addUser: false);
        await IndexAsync("kept", "dev");
        var onlyGone = await AddAsync("gone", "a", [1]);
        await AddAsync("gone", "b", [2]);
        var alsoKept = await AddAsync("kept", "dev", [2]);
        using (var work = await _store.BeginAsync())
        {
            work.RemoveUser("gone");
            work.Commit();
        }
        Blobs().Should().BeEquivalentTo([alsoKept.Sha256], "the user's blobs go, except what another user's row references");
        Blobs().Should().NotContain(onlyGone.Sha256);
        ServedNames().Should().ContainSingle().Which.Should().Be(ServedPath(alsoKept));
    }

    [Fact]
    public async Task A_write_disposed_without_commit_changes_nothing()
    {
        await IndexAsync("u", "dev");
        var serial = _store.Serial;
        var kept = await AddAsync("u", "dev", [1]);
        await using (var blob = await BlobAsync([2]))
        using (var work = await _store.BeginAsync())
        {
            work.AddFile(File("u", "dev", "demo-1.0.tar.gz", blob.Sha256, 1), blob);
            work.RemoveUser("u");
        }
        _store.Serial.Should().Be(serial + 1);
        Rows().Should().ContainSingle().Which.Should().Be(kept);
        Blobs().Should().BeEquivalentTo([kept.Sha256]);
        Directory.EnumerateFiles(Path.Combine(_dir, "+files", "tmp")).Should().BeEmpty();
        System.IO.File.Exists(ServedPath(kept)!).Should().BeTrue();
    }

    [Fact]
    public async Task Blob_collection_while_serving_never_takes_the_blob_of_a_write_between_publication_and_commit()
    {
        await IndexAsync("u", "dev");
        var published = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        _store.BeforeCommitStep = step =>
        {
            if (step == CommitStep.CommitRows)
            {
                published.SetResult();
                proceed.Task.Wait();
            }
        };
        await using var blob = await BlobAsync([9, 9]);
        var file = File("u", "dev", "demo-1.0.tar.gz", blob.Sha256, 2);
        var write = Task.Run(async () =>
        {
            using var work = await _store.BeginAsync();
            work.AddFile(file, blob);
            work.Commit();
        });
        await published.Task;
        System.IO.File.Exists(BlobPath(file.Sha256)).Should().BeTrue("the write has published its blob, and no row references it yet");
        var collection = _store.CollectUnreferencedBlobsAsync();
        await Task.Delay(200);
        collection.IsCompleted.Should().BeFalse("collection waits for the write lock");
        proceed.SetResult();
        await write;
        (await collection).Should().Be(0);
        System.IO.File.Exists(BlobPath(file.Sha256)).Should().BeTrue("a committed row's content is never deleted");
    }

    public enum Write
    {
        AddNew,
        Replace,
        RemoveFile,
        RemoveIndex,
        RemoveUser,
    }

    public static TheoryData<Write, CommitStep> EveryWriteAndStep()
    {
        var data = new TheoryData<Write, CommitStep>();
        foreach (var write in Enum.GetValues<Write>())
        {
            foreach (var step in Enum.GetValues<CommitStep>())
            {
                data.Add(write, step);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryWriteAndStep))]
    public async Task A_crash_before_any_step_loses_nothing_acknowledged_serves_nothing_half_done_and_restarts_clean(Write write, CommitStep crashAt)
    {
        await IndexAsync("u", "dev");
        var acknowledged = await AddAsync("u", "dev", [1]);
        var untouched = await AddAsync("u", "dev", [5], "demo-1.0.zip");
        _store.ReconcileServedTree(); // as at a start: the tree is known to match
        var serial = _store.Serial;
        _store.BeforeCommitStep = step =>
        {
            if (step == crashAt)
            {
                throw new SimulatedCrash();
            }
        };

        var act = async () =>
        {
            await using var blob = await BlobAsync([7, 7]);
            using var work = await _store.BeginAsync();
            switch (write)
            {
                case Write.AddNew:
                    work.AddFile(File("u", "dev", "demo-1.0.tar.bz2", blob.Sha256, 2), blob);
                    break;
                case Write.Replace:
                    work.AddFile(File("u", "dev", "demo-1.0.tar.gz", blob.Sha256, 2), blob);
                    break;
                case Write.RemoveFile:
                    work.RemoveFile(acknowledged);
                    break;
                case Write.RemoveIndex:
                    work.RemoveIndex("u", "dev");
                    break;
                case Write.RemoveUser:
                    work.RemoveUser("u");
                    break;
            }
            work.Commit();
        };
        await act.Should().ThrowAsync<SimulatedCrash>();
        var committed = crashAt > CommitStep.CommitRows;
        _store.Serial.Should().Be(committed ? serial + 1 : serial);

        // At the moment of the crash, what nginx would serve is only ever committed content.
        NoOrphanServedName();
        var rows = Rows();
        foreach (var row in rows)
        {
            System.IO.File.Exists(BlobPath(row.Sha256)).Should().BeTrue("a committed row's content is never deleted");
        }
        if (!committed)
        {
            rows.Should().BeEquivalentTo([acknowledged, untouched], "an unacknowledged write changes no row");
        }

        // Restart on the same directory: start-up recovery, then every row is served again, nothing else is left.
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        _store = PackageStore.Open(_dir, _storage);
        _store.RemoveUnfinishedBlobs();
        var recovered = _store.ReconcileServedTree();
        if (crashAt is CommitStep.PublishBlobs or CommitStep.CollectBlobs)
        {
            recovered.Should().BeNull("the tree had not been touched yet, or its steps were done and the marker moved");
        }
        else
        {
            recovered!.Value.Report.FromJournal.Should().BeTrue("only the unfinished commit's names are checked, not the whole tree");
        }
        // Before any request relinks a name: the start alone made the tree match the rows.
        NoOrphanServedName();
        ServedNames().Should().HaveCount(Rows().Count, "the start relinked every name the crash left missing");
        await _store.CollectUnreferencedBlobsAsync(); // the server runs it once it listens
        foreach (var row in Rows())
        {
            await _store.RelinkIfMissingAsync(row, CancellationToken.None); // what a request for a missing name does
        }
        rows = Rows();
        NoOrphanServedName();
        ServedNames().Should().HaveCount(rows.Count, "every row is served again");
        Blobs().Should().BeEquivalentTo(rows.Select(r => r.Sha256).Distinct(), "no blob without a row survives the restart");
        Directory.EnumerateFiles(Path.Combine(_dir, "+files", "tmp")).Should().BeEmpty();
        var expectedNames = (write, committed) switch
        {
            (_, false) => ["demo-1.0.tar.gz", "demo-1.0.zip"],
            (Write.AddNew, true) => ["demo-1.0.tar.bz2", "demo-1.0.tar.gz", "demo-1.0.zip"],
            (Write.Replace, true) => ["demo-1.0.tar.gz", "demo-1.0.zip"],
            (Write.RemoveFile, true) => ["demo-1.0.zip"],
            _ => Array.Empty<string>(),
        };
        rows.Select(r => r.FileName).Should().BeEquivalentTo(expectedNames);
        if (write == Write.Replace && committed)
        {
            rows.Single(r => r.FileName == "demo-1.0.tar.gz").Sha256.Should().NotBe(acknowledged.Sha256);
        }
    }
}
