using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Server.Tests;

/// <summary>
/// SIGKILL during concurrent uploads, then a restart on the same data directory: every acknowledged upload is served
/// with its sha256; anything else is either absent or complete; no blob without a row survives.
/// </summary>
[Integration]
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("wh-crash-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_work, true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Killed_server_keeps_every_acknowledged_upload_and_nothing_half_written()
    {
        var data = Path.Combine(_work, "data");
        var server = await ServerProcess.StartAsync(data);
        using var http = new TestServer.ClientHelper(server.BaseUrl);
        await http.CreateUserAsync("crash");
        await http.CreateIndexAsync("crash", "dev");

        var wheels = Enumerable.Range(0, 48).Select(i =>
        {
            var name = $"crash-pkg-{i}";
            // Incompressible padding makes each upload take long enough to be cut off mid-way.
            var wheel = Distributions.WheelWithPadding(name, "1.0", 1_500_000 + i);
            return (Name: name, Wheel: wheel, Sha: Distributions.Sha256(wheel));
        }).ToList();
        var acknowledged = new ConcurrentBag<string>();
        using var uploadClient = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
        using var enoughAcknowledged = new SemaphoreSlim(0);
        // The last eight send half their body and wait for the kill: however busy the machine, some uploads are cut off
        // mid-way, rather than all of them ending before the kill lands.
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var uploads = wheels.Select(async (w, i) =>
        {
            await Task.Delay(i * 15);
            try
            {
                HttpContent form = Distributions.Form(w.Name, "1.0", w.Wheel, Distributions.WheelName(w.Name, "1.0"));
                var request = new HttpRequestMessage(HttpMethod.Post, "crash/dev/") { Content = i >= wheels.Count - 8 ? await HalfThenWait.OfAsync(form, killed.Task) : form };
                request.Headers.Authorization = TestServer.Basic("crash", "crash-pw");
                using var response = await uploadClient.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add(w.Name);
                    enoughAcknowledged.Release();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // The server died under this request: it was never acknowledged.
            }
        }).ToList();
        for (var i = 0; i < 8; i++)
        {
            (await enoughAcknowledged.WaitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue("uploads should be acknowledged before the kill");
        }
        server.Kill();
        killed.SetResult();
        await Task.WhenAll(uploads);
        acknowledged.Count.Should().BeLessThanOrEqualTo(wheels.Count - 8, "the kill lands while the last eight uploads are half sent");
        TestStorage.AgeTemporaryFilesForARestart(data);

        await using var restarted = await ServerProcess.StartAsync(data, server.Port);
        using var after = new TestServer.ClientHelper(restarted.BaseUrl);
        var visible = new HashSet<string>();
        foreach (var w in wheels)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"crash/dev/+simple/{w.Name}/");
            request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
            using var page = await after.Client.SendAsync(request);
            if (page.StatusCode == HttpStatusCode.NotFound)
            {
                acknowledged.Should().NotContain(w.Name, "an acknowledged upload must survive the kill");
                continue;
            }
            page.StatusCode.Should().Be(HttpStatusCode.OK);
            var file = JsonNode.Parse(await page.Content.ReadAsStringAsync())!["files"]!.AsArray().Single()!;
            file["hashes"]!["sha256"]!.GetValue<string>().Should().Be(w.Sha);
            var url = new Uri(new Uri($"{restarted.BaseUrl}/crash/dev/+simple/{w.Name}/"), file["url"]!.GetValue<string>());
            Distributions.Sha256(await after.Client.GetByteArrayAsync(url)).Should().Be(w.Sha, "a visible file is complete");
            visible.Add(w.Sha);
        }
        // Blobs without a row are collected once the server runs (not before it answers): wait for that, a while.
        HashSet<string> Blobs() => Directory.EnumerateFiles(Path.Combine(data, "+files", "sha256"), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetFileName(Path.GetDirectoryName(p)) + Path.GetFileName(p)).ToHashSet();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!Blobs().SetEquals(visible) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Blobs().Should().BeEquivalentTo(visible, "no blob without a row survives the restart");
        Directory.EnumerateFiles(Path.Combine(data, "+files", "tmp")).Should().BeEmpty();
    }

    /// <summary>A request body that sends the first half of <c>content</c>, then the rest once <c>go</c> completes.</summary>
    private sealed class HalfThenWait(byte[] content, Task go) : HttpContent
    {
        public static async Task<HalfThenWait> OfAsync(HttpContent inner, Task go)
        {
            var wrapped = new HalfThenWait(await inner.ReadAsByteArrayAsync(), go);
            foreach (var header in inner.Headers)
            {
                wrapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            inner.Dispose();
            return wrapped;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(content.AsMemory(0, content.Length / 2));
            await stream.FlushAsync();
            await go;
            await stream.WriteAsync(content.AsMemory(content.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = content.Length;
            return true;
        }
    }
}
