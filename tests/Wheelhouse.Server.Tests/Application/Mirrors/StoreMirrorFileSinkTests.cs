using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Wheelhouse.Server.Application.Mirrors;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Application.Mirrors;

/// <summary>The store's side of a mirrored file: received, finished, committed (on the backend the run tests).</summary>
public sealed class StoreMirrorFileSinkTests : IDisposable
{
    private readonly ServiceFixture _services = new();

    public void Dispose() => _services.Dispose();

    private string TempDirectory => Path.Combine(Path.GetDirectoryName(_services.BlobDirectory)!, "tmp");

    private async Task<StoreMirrorFileSink> SinkAsync()
    {
        await _services.UserAsync("team");
        await _services.IndexAsync("team", "mirror", """{"type": "mirror", "mirror_url": "http://127.0.0.1:9/simple/"}""");
        var commits = new MirrorFileCommits(_services.Store, NullLogger<MirrorFileCommits>.Instance) { Linger = TimeSpan.Zero };
        return new StoreMirrorFileSink(_services.Store, commits, _services.Known.FindIndex("team", "mirror")!, "demo", "1.0", TimeProvider.System);
    }

    private static VerifiedMirrorFile Verified(string fileName, byte[] content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var link = new UpstreamLink(new Uri("http://127.0.0.1:9/packages/" + fileName), fileName,
            new Dictionary<string, string> { ["sha256"] = sha }, null, null, new Dictionary<string, string>());
        return new VerifiedMirrorFile(fileName, sha, content.Length, link);
    }

    private static async Task WriteInPiecesAsync(IMirrorPendingFile pending, byte[] content)
    {
        for (var at = 0; at < content.Length; at += 1 << 16)
        {
            await pending.WriteAsync(content.AsMemory(at, Math.Min(1 << 16, content.Length - at)), CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(0)] // a small wheel: kept in memory until it is finished
    [InlineData(3 << 20)] // larger than what is kept in memory: written to its temp file as it comes
    public async Task A_file_is_stored_whole_whatever_its_size(int padding)
    {
        var sink = await SinkAsync();
        var content = Distributions.Wheel("demo", "1.0").Concat(RandomNumberGenerator.GetBytes(padding)).ToArray();
        var fileName = Distributions.WheelName("demo", "1.0");

        await using (var pending = sink.Begin())
        {
            await WriteInPiecesAsync(pending, content);
            await pending.FinishAsync();
            await sink.CommitAsync(pending, Verified(fileName, content), CancellationToken.None);
        }

        using var reader = _services.Store.Read();
        var stored = reader.File("team", "mirror", fileName)!;
        stored.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(content)));
        File.ReadAllBytes(_services.Store.ContentPath(stored)!).Should().Equal(content);
        Directory.EnumerateFiles(TempDirectory).Should().BeEmpty();
    }

    [Fact]
    public async Task A_small_file_makes_no_file_before_it_is_finished_and_leaves_none_when_abandoned()
    {
        var sink = await SinkAsync();
        await using (var pending = sink.Begin())
        {
            await WriteInPiecesAsync(pending, Distributions.Wheel("demo", "1.0"));
            Directory.EnumerateFiles(TempDirectory).Should().BeEmpty("the client is still waiting: nothing is created on its path");
        }
        await using (var pending = sink.Begin())
        {
            await WriteInPiecesAsync(pending, RandomNumberGenerator.GetBytes(2 << 20));
            Directory.EnumerateFiles(TempDirectory).Should().ContainSingle("a large file goes to its temp file as it comes");
        } // abandoned (a hash mismatch, a broken download)
        Directory.EnumerateFiles(TempDirectory).Should().BeEmpty();
        _services.Store.Blobs.Shards().Should().BeEmpty();
    }
}
