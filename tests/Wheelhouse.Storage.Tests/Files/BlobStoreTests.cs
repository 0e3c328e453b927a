using System.Security.Cryptography;
using Wheelhouse.Storage.Files;

namespace Wheelhouse.Storage.Tests.Files;

public sealed class BlobStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-blobs-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static async Task<PendingBlob> WriteAsync(BlobStore store, byte[] content)
    {
        var blob = store.Create();
        await blob.WriteAsync(content, CancellationToken.None);
        await blob.FinishAsync();
        return blob;
    }

    [Fact]
    public async Task Published_blobs_live_at_their_sha256_and_digests_are_computed()
    {
        var store = new BlobStore(_dir);
        var content = "hello"u8.ToArray();
        await using var blob = await WriteAsync(store, content);
        blob.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(content)));
        (await blob.ComputeMd5Async(CancellationToken.None)).Should().Be(Convert.ToHexStringLower(MD5.HashData(content)));
        blob.Length.Should().Be(5);
        blob.Publish();
        var path = store.PathOf(blob.Sha256)!;
        path.Should().Be(Path.Combine(_dir, "+files", "sha256", blob.Sha256[..2], blob.Sha256[2..]));
        (await File.ReadAllBytesAsync(path)).Should().Equal(content);
        File.Exists(blob.TempPath).Should().BeFalse();
    }

    [Fact]
    public async Task Unpublished_blobs_leave_nothing_behind()
    {
        var store = new BlobStore(_dir);
        string temp;
        await using (var blob = await WriteAsync(store, [1, 2, 3]))
        {
            temp = blob.TempPath;
            File.Exists(temp).Should().BeTrue();
        }
        File.Exists(temp).Should().BeFalse();
        Directory.EnumerateFiles(Path.Combine(_dir, "+files"), "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/")]
    public void Paths_exist_only_for_lowercase_hex_sha256(string hash)
    {
        new BlobStore(_dir).PathOf(hash).Should().BeNull();
        BlobStore.IsValidSha256(hash).Should().BeFalse();
    }

    [Fact]
    public async Task Garbage_collection_removes_unreferenced_blobs_and_temp_files_only()
    {
        var store = new BlobStore(_dir);
        var kept = await WriteAsync(store, [1]);
        kept.Publish();
        var orphan = await WriteAsync(store, [2]);
        orphan.Publish();
        var leftover = await WriteAsync(store, [3]); // a crash before publish leaves a temp file
        store.RemoveTemporaryFiles().Should().Be(1);
        File.Exists(leftover.TempPath).Should().BeFalse();
        var removed = store.Shards().Sum(shard => store.CollectGarbage(shard, new HashSet<string> { kept.Sha256 }));
        removed.Should().Be(1);
        store.Exists(kept.Sha256).Should().BeTrue();
        store.Exists(orphan.Sha256).Should().BeFalse();
    }

    [Fact]
    public async Task Collecting_a_shard_touches_no_other_shard()
    {
        var store = new BlobStore(_dir);
        var blobs = new List<PendingBlob>();
        for (byte b = 0; blobs.Select(x => x.Sha256[..2]).Distinct().Count() < 2; b++)
        {
            var blob = await WriteAsync(store, [b]);
            blob.Publish();
            blobs.Add(blob);
        }
        var shard = blobs[0].Sha256[..2];
        store.Shards().Should().Contain(shard).And.BeInAscendingOrder(StringComparer.Ordinal);
        store.CollectGarbage(shard, new HashSet<string>()).Should().Be(blobs.Count(x => x.Sha256[..2] == shard));
        foreach (var x in blobs)
        {
            store.Exists(x.Sha256).Should().Be(!x.Sha256.StartsWith(shard, StringComparison.Ordinal));
        }
        store.Invoking(s => s.CollectGarbage("../", new HashSet<string>())).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task Publishing_identical_content_twice_keeps_one_blob()
    {
        var store = new BlobStore(_dir);
        var a = await WriteAsync(store, [7, 7]);
        a.Publish();
        var b = await WriteAsync(store, [7, 7]);
        b.Publish();
        Directory.EnumerateFiles(Path.Combine(_dir, "+files", "sha256"), "*", SearchOption.AllDirectories).Should().ContainSingle();
        File.Exists(b.TempPath).Should().BeFalse();
    }
}
