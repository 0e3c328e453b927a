using Microsoft.Data.Sqlite;
using Wheelhouse.Server.Transfer;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>
/// A paced backup in process, on a clock the test moves: the blobs are captured before writers are held off, one
/// rest per blob as the pace asks, and whatever is uploaded or deleted during those rests ends up as the snapshot says.
/// </summary>
public sealed class PacedBackupTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("wh-paced-backup-").FullName;
    private readonly PackageStore _store;

    public PacedBackupTests() =>
        _store = PackageStore.Open(Data, Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(Data));

    private string Data => Path.Combine(_work, "data");

    /// <summary>For a backup on another file system than the data directory's (tmpfs), where blobs are copied, not linked.</summary>
    private readonly string _elsewhere = Path.Combine("/dev/shm", "wh-paced-backup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, true);
        if (Directory.Exists(_elsewhere))
        {
            Directory.Delete(_elsewhere, true);
        }
    }

    /// <summary>Each reading of the clock is one slice later: every unit of work uses up its slice and earns a rest.</summary>
    private sealed class SliceClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks += Pacer.Slice.Ticks;
    }

    private static FileRecord Row(int i, string sha, long size) =>
        new("ci", "dev", $"demo-1.0.{i}.tar.gz", "demo", $"1.0.{i}", FileKind.ReleaseFile, sha, size, DateTimeOffset.UtcNow, "", null, "[]");

    private async Task<FileRecord> UploadAsync(int i)
    {
        var content = System.Text.Encoding.UTF8.GetBytes($"release file {i} " + new string('x', 1000 + i));
        await using var blob = _store.CreateBlob();
        await blob.WriteAsync(content, CancellationToken.None);
        await blob.FinishAsync();
        using var work = await _store.BeginAsync();
        work.PutRelease(new ReleaseRecord("ci", "dev", "demo", $"1.0.{i}", "demo", "{}", DateTimeOffset.UtcNow));
        var row = Row(i, blob.Sha256, content.Length);
        work.AddFile(row, blob);
        work.Commit();
        return row;
    }

    /// <param name="onAnotherFileSystem">The backup on tmpfs: each blob is copied (one pacing step for its one chunk and
    /// one for the blob; the last blob, deleted before its turn, has no chunk), and the snapshot stages what was
    /// uploaded meanwhile and copies it after writers resume.</param>
    [Theory]
    [InlineData(false, 30)]
    [InlineData(true, 59)]
    public async Task Blobs_are_captured_at_the_pace_while_writes_go_on_and_the_backup_is_the_snapshot(bool onAnotherFileSystem, int steps)
    {
        using (var work = await _store.BeginAsync())
        {
            work.AddUser(new UserRecord("ci", "hash", "", "", "", DateTimeOffset.UtcNow));
            work.AddIndex(new IndexRecord("ci", "dev", "{}"));
            work.Commit();
        }
        var rows = new List<FileRecord>();
        for (var i = 0; i < 30; i++)
        {
            rows.Add(await UploadAsync(i));
        }
        FileRecord? uploadedDuringTheBackup = null;
        var rests = 0;
        // The first rest comes after the first blob is linked: two deletes (of that blob, and of the last, not yet
        // linked) and an upload land then, as they would from a serving server, which is not held off meanwhile.
        var pacer = new Pacer(20, new SliceClock(), async (_, _) =>
        {
            if (rests++ == 0)
            {
                using (var work = await _store.BeginAsync(CancellationToken.None))
                {
                    work.RemoveRelease("ci", "dev", "demo", rows[0].Version);
                    work.RemoveRelease("ci", "dev", "demo", rows[29].Version);
                    work.Commit();
                }
                uploadedDuringTheBackup = await UploadAsync(30);
            }
        });
        _store.Blobs.Exists(rows[29].Sha256).Should().BeTrue();
        var backup = onAnotherFileSystem ? _elsewhere : Path.Combine(_work, "backup");

        var (serial, blobs, _, _) = await Backup.WriteAsync(_store, Data, backup, pacer,
            (count, bytes) => new TransferProgress("backup", count, bytes, TextWriter.Null, terminal: false), CancellationToken.None);

        pacer.Rests.Should().Be(steps, "one rest per step of the early capture: each used up its slice on this clock");
        pacer.Rested.Should().Be(steps * 4 * Pacer.Slice, "at 20 % each slice of work is followed by four of rest");
        _store.Blobs.Exists(rows[0].Sha256).Should().BeFalse("its release was removed during the backup and the blob collected");
        _store.Blobs.Exists(rows[29].Sha256).Should().BeFalse();
        serial.Should().Be(_store.Serial);
        blobs.Should().Be(29);
        Directory.EnumerateFiles(Path.Combine(backup, Backup.BlobsDirectory), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetFileName(Path.GetDirectoryName(p)) + Path.GetFileName(p)).Order(StringComparer.Ordinal)
            .Should().Equal(rows.Skip(1).Take(28).Append(uploadedDuringTheBackup!).Select(r => r.Sha256).Order(StringComparer.Ordinal),
                "the backup holds exactly the blobs its database references: the one uploaded meanwhile, not those deleted");
        File.Exists(Path.Combine(backup, Backup.CompleteMarker)).Should().BeTrue();

        var restored = Path.Combine(_work, "restored");
        await Backup.RestoreAsync(backup, restored, (count, bytes) => new TransferProgress("restore", count, bytes, TextWriter.Null, terminal: false),
            CancellationToken.None);
        using var again = PackageStore.OpenDataDirectory(restored);
        (await new ConsistencyCheck(again).RunAsync(repair: false, null, CancellationToken.None)).Problems.Should().BeEmpty();
        using var read = again.Read();
        read.AllFiles().Select(f => f.FileName).Should().Contain(uploadedDuringTheBackup!.FileName).And.NotContain(rows[0].FileName).And.NotContain(rows[29].FileName);
    }
}
