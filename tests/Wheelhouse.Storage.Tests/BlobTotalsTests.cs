using Microsoft.Data.Sqlite;

namespace Wheelhouse.Storage.Tests;

/// <summary>
/// <see cref="IMetadataReader.BlobTotals"/>, on the backend the test run chooses: the data size of the metrics, each
/// content counted once however many rows refer to it.
/// </summary>
public sealed class BlobTotalsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-totals-").FullName;
    private readonly PackageStore _store;

    public BlobTotalsTests() => _store = PackageStore.Open(_dir, Wheelhouse.Testing.Postgres.TestStorage.Fresh("totals"));

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private static FileRecord File(string index, string name, PendingBlob blob, long size) =>
        new("u", index, name, "demo", "1.0", FileKind.ReleaseFile, blob.Sha256, size, DateTimeOffset.UnixEpoch, "", null, "[]");

    private async Task<PendingBlob> BlobAsync(byte[] content)
    {
        var blob = _store.CreateBlob();
        await blob.WriteAsync(content, CancellationToken.None);
        await blob.FinishAsync();
        return blob;
    }

    private (long Count, long Bytes) Totals()
    {
        using var reader = _store.Read();
        return reader.BlobTotals();
    }

    [Fact]
    public async Task Each_content_counts_once_with_its_size_and_leaves_the_totals_with_its_last_row()
    {
        Totals().Should().Be((0L, 0L));
        await using var a = await BlobAsync([1, 2, 3]);
        await using var b = await BlobAsync([4, 5, 6, 7, 8]);
        await using var sameAsA = await BlobAsync([1, 2, 3]);
        using (var work = await _store.BeginAsync())
        {
            work.AddUser(new UserRecord("u", "hash", "", "", "", DateTimeOffset.UtcNow));
            foreach (var index in new[] { "dev", "prod" })
            {
                work.AddIndex(new IndexRecord("u", index, "{}"));
                work.PutRelease(new ReleaseRecord("u", index, "demo", "1.0", "demo", "{}", DateTimeOffset.UtcNow));
            }
            work.AddFile(File("dev", "demo-1.0.tar.gz", a, 3), a);
            work.AddFile(File("prod", "demo-1.0.tar.gz", sameAsA, 3), sameAsA); // pushed: the same content in another index
            work.AddFile(File("dev", "demo-1.0.zip", b, 5), b);
            work.Commit();
        }
        Totals().Should().Be((2L, 8L));

        using (var work = await _store.BeginAsync())
        {
            work.RemoveFile(File("dev", "demo-1.0.tar.gz", a, 3));
            work.Commit();
        }
        Totals().Should().Be((2L, 8L), "prod still refers to the content");

        using (var work = await _store.BeginAsync())
        {
            work.RemoveIndex("u", "dev");
            work.Commit();
        }
        Totals().Should().Be((1L, 3L));
    }
}
