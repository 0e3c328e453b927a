using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Server.Tests.Hosting;

/// <summary>
/// What a crash leaves in the blob store is cleaned up by a restart: unfinished temp files before the server answers,
/// blobs no row references once it runs (shard by shard under the write lock, so start-up does not grow with the data).
/// </summary>
public sealed class BlobCollectionTests
{
    [Fact]
    public async Task A_restart_removes_unfinished_and_unreferenced_blobs_and_keeps_every_referenced_one()
    {
        var server = await TestServer.StartAsync();
        var data = server.DataDirectory;
        await server.CreateUserAsync("alice");
        await server.CreateIndexAsync("alice", "dev");
        var wheel = await server.UploadWheelAsync("alice/dev", "alice", "kept", "1.0");
        await server.StopKeepingDataAsync();
        var kept = BlobPath(data, Distributions.Sha256(wheel));
        File.Exists(kept).Should().BeTrue();
        var unreferenced = BlobPath(data, Distributions.Sha256([1, 2, 3]));
        Directory.CreateDirectory(Path.GetDirectoryName(unreferenced)!);
        await File.WriteAllBytesAsync(unreferenced, [1, 2, 3]);
        var unfinished = Path.Combine(data, "+files", "tmp", "0123456789abcdef");
        await File.WriteAllBytesAsync(unfinished, [4]);
        TestStorage.AgeTemporaryFilesForARestart(data);

        await using var restarted = await TestServer.StartAsync(dataDirectory: data);
        File.Exists(unfinished).Should().BeFalse("an unfinished blob is removed before the server answers");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (File.Exists(unreferenced) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        File.Exists(unreferenced).Should().BeFalse("a blob no row references is collected once the server runs");
        File.Exists(kept).Should().BeTrue("a referenced blob is never collected");
        using var response = await restarted.Client.GetAsync($"alice/dev/+simple/kept/");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    private static string BlobPath(string data, string sha256) => Path.Combine(data, "+files", "sha256", sha256[..2], sha256[2..]);
}
