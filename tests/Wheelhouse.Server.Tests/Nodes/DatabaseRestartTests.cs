using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Server.Tests.Nodes;

/// <summary>
/// PostgreSQL stopped and started again under load on three nodes behind nginx (a cluster of the test's own, so the
/// other tests' shared one is not disturbed): 503 with Retry-After for what needs the database while it is down,
/// cached pages served throughout, full service afterwards without restarting a node.
/// </summary>
[Integration]
public sealed class DatabaseRestartTests
{
    private sealed record Answer(TimeSpan At, string What, HttpStatusCode Status, string? RetryAfter);

    [Fact]
    public async Task A_database_restart_during_load_gives_503s_while_down_and_full_service_after_without_restarting_nodes()
    {
        using var postgres = PostgresCluster.StartPrivate();
        await using var cluster = await NodeCluster.StartAsync(postgres.ConnectionString(postgres.CreateDatabase("restart")));
        var first = cluster.Clients[0];
        await first.CreateUserAsync("team");
        await first.CreateIndexAsync("team", "dev");
        var steady = NodeCluster.MakeWheel("steady", "1.0");
        (await NodeCluster.UploadAsync(first, "team/dev", steady)).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var node in cluster.Clients)
        {
            await NodeCluster.ShouldServeAsync(node, "team/dev", steady, "before the restart (now cached on every node)");
        }

        var clock = Stopwatch.StartNew();
        var answers = new ConcurrentQueue<Answer>();
        var acknowledged = new ConcurrentBag<NodeCluster.Wheel>();
        using var stop = new CancellationTokenSource();
        async Task ReaderAsync()
        {
            using var client = new TestServer.ClientHelper(cluster.Nginx.BaseUrl);
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.Client.GetAsync("team/dev/+simple/steady/");
                answers.Enqueue(new Answer(clock.Elapsed, "page", response.StatusCode, null));
                await Task.Delay(20);
            }
        }
        // Uploads pause while the database is stopped: a commit just before the stop would rightly make the page need
        // the database again (it must show that commit), and the test is of what the caches hold.
        using var uploadsMayRun = new SemaphoreSlim(1, 1);
        async Task UploaderAsync()
        {
            using var client = new TestServer.ClientHelper(cluster.Nginx.BaseUrl);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var wheel = NodeCluster.MakeWheel($"during{i}", "1.0");
                await uploadsMayRun.WaitAsync(); // held for the whole upload: closing the gate waits for one in flight
                try
                {
                    using var response = await NodeCluster.UploadAsync(client, "team/dev", wheel);
                    answers.Enqueue(new Answer(clock.Elapsed, "upload", response.StatusCode, response.Headers.RetryAfter?.ToString()));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(wheel);
                    }
                }
                finally
                {
                    uploadsMayRun.Release();
                }
                await Task.Delay(50);
            }
        }
        var load = new[] { Task.Run(ReaderAsync), Task.Run(ReaderAsync), Task.Run(UploaderAsync) };
        await Task.Delay(1500);
        await uploadsMayRun.WaitAsync();
        foreach (var node in cluster.Clients)
        {
            await NodeCluster.ShouldServeAsync(node, "team/dev", steady, "at the last serial before the stop");
        }
        var down = clock.Elapsed;
        postgres.Stop();
        uploadsMayRun.Release();
        await Task.Delay(4000);
        var downUntil = clock.Elapsed;
        postgres.StartAgain();
        var up = clock.Elapsed;

        // Full service again: an upload straight to each node, with no node restarted.
        var recovered = new Dictionary<int, TimeSpan>();
        for (var n = 0; n < cluster.Clients.Count; n++)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var wheel = NodeCluster.MakeWheel($"after{n}", "1.0");
                using var response = await NodeCluster.UploadAsync(cluster.Clients[n], "team/dev", wheel);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    recovered[n] = clock.Elapsed - up;
                    acknowledged.Add(wheel);
                    break;
                }
                response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "until the database answers again");
                DateTime.UtcNow.Should().BeBefore(deadline, $"node {n} recovers by itself");
                await Task.Delay(200);
            }
        }
        await Task.Delay(1000);
        stop.Cancel();
        await Task.WhenAll(load);

        cluster.Nodes.Should().OnlyContain(n => !n.HasExited, "no node was restarted or died");
        var whileDown = answers.Where(a => a.At > down + TimeSpan.FromMilliseconds(500) && a.At < downUntil).ToList();
        // What was answered when, so that a failure here says which kind of answer went missing and around what time.
        var timeline = $"database down {down.TotalSeconds:F2}-{downUntil.TotalSeconds:F2} s; answers: "
            + string.Join(", ", answers.Where(a => a.At > down - TimeSpan.FromSeconds(1) && a.At < downUntil + TimeSpan.FromSeconds(1)).OrderBy(a => a.At).Select(a => $"{a.At.TotalSeconds:F2} {a.What} {(int)a.Status}"));
        whileDown.Where(a => a.What == "page").Should().NotBeEmpty(timeline)
            .And.OnlyContain(a => a.Status == HttpStatusCode.OK, "the cached page is served while the database is down");
        var uploadsWhileDown = whileDown.Where(a => a.What == "upload").ToList();
        uploadsWhileDown.Should().NotBeEmpty(timeline).And.OnlyContain(a => a.Status == HttpStatusCode.ServiceUnavailable && a.RetryAfter == "5",
            "an upload needs the database: 503 with Retry-After");
        answers.Where(a => a.What == "page").Should().OnlyContain(a => a.Status == HttpStatusCode.OK, "pages never failed, before, during or after");
        foreach (var wheel in acknowledged)
        {
            await NodeCluster.ShouldServeAsync(cluster.ThroughNginx, "team/dev", wheel, "(acknowledged before, or after, the restart)");
        }
        foreach (var node in cluster.Clients)
        {
            await NodeCluster.ShouldServeAsync(node, "team/dev", acknowledged.First(w => w.Project == "after2"), "on every node after the restart");
        }
        Console.WriteLine($"database down {(downUntil - down).TotalSeconds:F1} s; {uploadsWhileDown.Count} uploads answered 503 meanwhile; "
            + $"nodes recovered {string.Join(", ", recovered.Select(r => $"{r.Key}: {r.Value.TotalSeconds:F1} s"))} after the restart");
    }
}
