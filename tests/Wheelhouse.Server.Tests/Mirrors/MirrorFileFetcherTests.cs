using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

[Integration]
public sealed class MirrorFileFetcherTests : IDisposable
{
    private readonly DirectorySink _sink = new();

    public void Dispose() => _sink.Dispose();

    [Fact]
    public async Task A_good_file_is_streamed_to_the_client_verified_and_stored()
    {
        var content = RandomBytes(300_000);
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Response.Body.WriteAsync(content).AsTask());
        using var services = MirrorTestClients.Create();
        var client = new MemoryStream();

        var result = await Fetcher(services).FetchAsync(Mirror(upstream), Link(upstream, content), _sink, client, default);

        var receipt = result.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>().Subject.Value;
        receipt.Should().Be(new MirrorFileReceipt("demo-1.0.tar.gz", Sha(content), content.Length, StreamedToCaller: true));
        client.ToArray().Should().Equal(content);
        File.ReadAllBytes(_sink.StoredPath(Sha(content))).Should().Equal(content);
        _sink.TempFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task The_client_has_the_whole_file_before_the_commit_and_callers_meanwhile_wait_for_it_and_hurry_it()
    {
        var content = RandomBytes(300_000);
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Response.Body.WriteAsync(content).AsTask());
        using var services = MirrorTestClients.Create();
        var fetcher = Fetcher(services);
        var gated = new GatedSink(_sink);
        var client = new MemoryStream();

        var first = await fetcher.FetchAsync(Mirror(upstream), Link(upstream, content), gated, client, default, returnWhenSent: true).WaitAsync(TimeSpan.FromSeconds(30));
        var inFlightWhileCommitting = fetcher.InFlight;
        var hurriedByTheFirst = _sink.Hurried;
        var joiner = fetcher.FetchAsync(Mirror(upstream), Link(upstream, content), gated, new MemoryStream(), default);
        await Task.Delay(200);
        var joinerDoneBeforeCommit = joiner.IsCompleted;
        gated.Open();
        var second = await joiner.WaitAsync(TimeSpan.FromSeconds(30));

        first.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>().Which.Value.StreamedToCaller.Should().BeTrue();
        client.ToArray().Should().Equal(content, "the client got every byte while the commit was still held back");
        inFlightWhileCommitting.Should().Be(1, "the download stays in flight until it is committed");
        joinerDoneBeforeCommit.Should().BeFalse("a request meanwhile waits for the commit, then serves the stored file");
        hurriedByTheFirst.Should().Be(0, "the client the file was sent to does not wait for the store, so lets commits batch");
        _sink.Hurried.Should().Be(1, "the request that waits asks the store not to hold the commit back");
        second.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>().Which.Value.StreamedToCaller.Should().BeFalse();
        _sink.Committed.Should().ContainSingle();
        upstream.TotalHits.Should().Be(1);
        fetcher.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task A_client_never_gets_a_complete_file_whose_hash_does_not_match()
    {
        var content = RandomBytes(200_000);
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Response.Body.WriteAsync(content).AsTask());
        using var services = MirrorTestClients.Create();
        var client = new MemoryStream();

        var result = await Fetcher(services).FetchAsync(Mirror(upstream), Link(upstream, RandomBytes(10)), _sink, client, default);

        result.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>().Which.Failure.Kind.Should().Be(UpstreamFailureKind.HashMismatch);
        client.Length.Should().BeLessThan(content.Length, "the last piece is held back until the hash is checked");
        content.AsSpan(0, (int)client.Length).SequenceEqual(client.ToArray()).Should().BeTrue();
        _sink.Committed.Should().BeEmpty();
    }

    [Fact]
    public async Task A_file_whose_hash_does_not_match_is_not_stored()
    {
        var content = RandomBytes(10_000);
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Response.Body.WriteAsync(content).AsTask());
        using var services = MirrorTestClients.Create();
        var announced = Link(upstream, RandomBytes(10));

        var result = await Fetcher(services).FetchAsync(Mirror(upstream), announced, _sink, null, default);

        var failure = result.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>().Subject.Failure;
        failure.Kind.Should().Be(UpstreamFailureKind.HashMismatch);
        failure.Message.Should().Contain($"has sha256 {Sha(content)} but the index page announced {announced.Sha256}").And.Contain("not stored");
        failure.IsTransient.Should().BeFalse();
        _sink.Committed.Should().BeEmpty();
        _sink.TempFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Another_announced_hash_is_checked_when_there_is_no_sha256()
    {
        var content = RandomBytes(5_000);
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Response.Body.WriteAsync(content).AsTask());
        using var services = MirrorTestClients.Create();
        var url = new Uri(upstream.BaseUrl + "/files/demo-1.0.tar.gz");
        var wrongMd5 = new UpstreamLink(url, "demo-1.0.tar.gz", new Dictionary<string, string> { ["md5"] = new string('0', 32) }, null, null, null);
        var rightMd5 = wrongMd5 with { Hashes = new Dictionary<string, string> { ["md5"] = Convert.ToHexStringLower(MD5.HashData(content)) } };

        var wrong = await Fetcher(services).FetchAsync(Mirror(upstream), wrongMd5, _sink, null, default);
        var right = await Fetcher(services).FetchAsync(Mirror(upstream), rightMd5, _sink, null, default);

        wrong.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>().Which.Failure.Message.Should().Contain("has md5");
        right.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>().Which.Value.Sha256.Should().Be(Sha(content));
    }

    [Fact]
    public async Task Concurrent_requests_for_one_file_make_one_upstream_request()
    {
        var content = RandomBytes(200_000);
        var release = new TaskCompletionSource();
        await using var upstream = await UpstreamStub.StartAsync(async ctx =>
        {
            await release.Task;
            await ctx.Response.Body.WriteAsync(content);
        });
        using var services = MirrorTestClients.Create();
        var fetcher = Fetcher(services);
        var link = Link(upstream, content);

        var fetches = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => fetcher.FetchAsync(Mirror(upstream), link, _sink, new MemoryStream(), default))).ToList();
        for (var i = 0; i < 200 && upstream.TotalHits == 0; i++)
        {
            await Task.Delay(10);
        }
        await Task.Delay(100);
        release.SetResult();
        var results = await Task.WhenAll(fetches);

        upstream.TotalHits.Should().Be(1);
        _sink.Committed.Should().HaveCount(1);
        results.Select(r => r.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>().Subject.Value)
            .Count(r => r.StreamedToCaller).Should().Be(1, "only the caller that started the download got the bytes streamed");
    }

    [Fact]
    public async Task An_upstream_error_stores_nothing()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, 502, "text/plain", "bad gateway"));
        using var services = MirrorTestClients.Create();

        var result = await Fetcher(services).FetchAsync(Mirror(upstream), Link(upstream, [1, 2, 3]), _sink, null, default);

        result.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>().Which.Failure.Message.Should().Contain("answered 502");
        _sink.Committed.Should().BeEmpty();
    }

    [Fact]
    public async Task A_download_that_stalls_midway_is_abandoned_and_nothing_is_stored()
    {
        await using var upstream = await UpstreamStub.StartAsync(async ctx =>
        {
            ctx.Response.ContentLength = 100_000;
            await ctx.Response.Body.WriteAsync(new byte[1000]);
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        });
        using var services = MirrorTestClients.Create(MirrorTestClients.TimeoutOptions);

        var result = await Fetcher(services).FetchAsync(Mirror(upstream), Link(upstream, [1]), _sink, null, default);

        var failure = result.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>().Subject.Failure;
        failure.Kind.Should().Be(UpstreamFailureKind.Timeout);
        failure.Message.Should().Contain("after 1000 bytes");
        _sink.Committed.Should().BeEmpty();
        _sink.TempFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused()
    {
        var content = RandomBytes(50_000);
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Response.Body.WriteAsync(content).AsTask());
        using var services = MirrorTestClients.Create(MirrorTestClients.FastOptions with { MaxFileBytes = 10_000 });

        var result = await Fetcher(services).FetchAsync(Mirror(upstream), Link(upstream, content), _sink, null, default);

        result.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>().Which.Failure.Kind.Should().Be(UpstreamFailureKind.TooLarge);
        _sink.Committed.Should().BeEmpty();
    }

    [Fact]
    public async Task A_client_that_goes_away_does_not_stop_the_download_for_the_cache()
    {
        var content = RandomBytes(100_000);
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Response.Body.WriteAsync(content).AsTask());
        using var services = MirrorTestClients.Create();
        var closed = new MemoryStream();
        closed.Dispose();

        var result = await Fetcher(services).FetchAsync(Mirror(upstream), Link(upstream, content), _sink, closed, default);

        result.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>();
        File.ReadAllBytes(_sink.StoredPath(Sha(content))).Should().Equal(content);
    }

    [Fact]
    public async Task A_hash_mismatch_is_answered_from_memory_until_it_expires_then_fetched_again()
    {
        var content = RandomBytes(10_000);
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Response.Body.WriteAsync(content).AsTask());
        var clock = new ManualClock();
        using var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock)
            .AddMirrorUpstream(MirrorTestClients.FastOptions with { HashMismatchMemory = TimeSpan.FromSeconds(60) }).BuildServiceProvider();
        var announced = Link(upstream, RandomBytes(10));

        var first = await Fetcher(services).FetchAsync(Mirror(upstream), announced, _sink, null, default);
        clock.Advance(TimeSpan.FromSeconds(59));
        var remembered = await Fetcher(services).FetchAsync(Mirror(upstream), announced, _sink, null, default);
        var hitsWhileRemembered = upstream.TotalHits;
        clock.Advance(TimeSpan.FromSeconds(1));
        var again = await Fetcher(services).FetchAsync(Mirror(upstream), announced, _sink, null, default);

        first.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>();
        var failure = remembered.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>().Subject.Failure;
        failure.Kind.Should().Be(UpstreamFailureKind.HashMismatch);
        failure.Message.Should().Contain($"but the index page announced {announced.Sha256}").And.Contain("not asked again before");
        hitsWhileRemembered.Should().Be(1);
        again.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Failed>();
        upstream.TotalHits.Should().Be(2, "after the memory expired the upstream was asked again");
        _sink.Committed.Should().BeEmpty();
    }

    private static MirrorFileFetcher Fetcher(IServiceProvider services) => services.GetRequiredService<MirrorFileFetcher>();

    private static MirrorUrl Mirror(UpstreamStub upstream) => MirrorUrl.Parse(upstream.BaseUrl + "/simple/");

    private static UpstreamLink Link(UpstreamStub upstream, byte[] announcedContent) =>
        new(new Uri(upstream.BaseUrl + "/files/demo-1.0.tar.gz"), "demo-1.0.tar.gz",
            new Dictionary<string, string> { ["sha256"] = Sha(announcedContent) }, null, null, null);

    private static byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}

/// <summary>A content-addressed sink like the server's blob store: temp files beside, committed files renamed in.</summary>
public sealed class DirectorySink : IMirrorFileSink, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wh-mirror-sink-").FullName;

    public string TempDirectory => Path.Combine(_root, "tmp");

    public ConcurrentBag<VerifiedMirrorFile> Committed { get; } = [];

    public IMirrorPendingFile Begin()
    {
        Directory.CreateDirectory(TempDirectory);
        return new PendingFile(Path.Combine(TempDirectory, Guid.NewGuid().ToString("N")));
    }

    public Task CommitAsync(IMirrorPendingFile file, VerifiedMirrorFile verified, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(_root, "blobs"));
        File.Move(((PendingFile)file).Path, StoredPath(verified.Sha256), overwrite: true);
        Committed.Add(verified);
        return Task.CompletedTask;
    }

    public int Hurried => Volatile.Read(ref _hurried);

    private int _hurried;

    public void Hurry() => Interlocked.Increment(ref _hurried);

    public string StoredPath(string sha256) => System.IO.Path.Combine(_root, "blobs", sha256);

    public IEnumerable<string> TempFiles() => Directory.Exists(TempDirectory) ? Directory.EnumerateFiles(TempDirectory) : [];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class PendingFile(string path) : IMirrorPendingFile
    {
        private readonly FileStream _stream = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);

        public string Path => path;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => _stream.WriteAsync(data, cancellationToken);

        public async Task FinishAsync()
        {
            await _stream.FlushAsync();
            _stream.Flush(flushToDisk: true);
            await _stream.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync();
            File.Delete(path); // after a commit the file was moved away; File.Delete of a missing file is a no-op
        }
    }
}

/// <summary>A sink whose commits wait until the test opens it (a slow disk or a busy writer).</summary>
public sealed class GatedSink(IMirrorFileSink inner) : IMirrorFileSink
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    public IMirrorPendingFile Begin() => inner.Begin();

    public void Hurry() => inner.Hurry();

    public async Task CommitAsync(IMirrorPendingFile file, VerifiedMirrorFile verified, CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        await inner.CommitAsync(file, verified, cancellationToken);
    }
}
