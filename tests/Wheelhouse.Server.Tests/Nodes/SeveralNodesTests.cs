using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Server.Tests.Nodes;

/// <summary>
/// Three nodes on one PostgreSQL database and one data directory, behind a real nginx: read-your-writes across nodes,
/// a node killed (SIGKILL) during uploads through nginx, and the races two nodes can run.
/// </summary>
[Integration]
public sealed class SeveralNodesTests : IAsyncLifetime
{
    private NodeCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await NodeCluster.StartAsync(PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase("nodes")));
        var first = _cluster.Clients[0];
        await first.CreateUserAsync("team");
        await first.CreateIndexAsync("team", "dev");
        await first.CreateIndexAsync("team", "prod", """{"volatile": false}""");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_commit_acknowledged_by_one_node_is_in_the_next_page_of_every_other_node()
    {
        var nodes = _cluster.Clients;
        for (var i = 0; i < 12; i++)
        {
            var writer = nodes[i % 3];
            var wheel = NodeCluster.MakeWheel($"ryw{i}", "1.0");
            using (var response = await NodeCluster.UploadAsync(writer, "team/dev", wheel))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            }
            // At once, no waiting: the two other nodes must already have it.
            await NodeCluster.ShouldServeAsync(nodes[(i + 1) % 3], "team/dev", wheel, $"right after node {i % 3} acknowledged it");
            await NodeCluster.ShouldServeAsync(nodes[(i + 2) % 3], "team/dev", wheel, $"right after node {i % 3} acknowledged it");
        }
        // An index made on one node takes uploads on another at once.
        await nodes[1].CreateIndexAsync("team", "fresh");
        using var upload = await NodeCluster.UploadAsync(nodes[2], "team/fresh", NodeCluster.MakeWheel("freshly", "1.0"));
        upload.StatusCode.Should().Be(HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());

        // Every node reports the same serial and identity.
        var statuses = await Task.WhenAll(nodes.Select(async n => JsonNode.Parse(await n.Client.GetStringAsync("+status"))!["result"]!));
        statuses.Select(s => (long)s["serial"]!).Distinct().Should().ContainSingle();
        statuses.Select(s => (string?)s["uuid"]).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Uploads_through_nginx_survive_a_node_killed_mid_way_and_every_acknowledged_one_is_served()
    {
        var wheels = Enumerable.Range(0, 48).Select(i => NodeCluster.MakeWheel($"kill{i}", "1.0")).ToList();
        var acknowledged = new ConcurrentBag<NodeCluster.Wheel>();
        var failed = new ConcurrentBag<(NodeCluster.Wheel Wheel, string Answer)>();
        var queue = new ConcurrentQueue<NodeCluster.Wheel>(wheels);
        var killed = 0;
        var victim = _cluster.Nodes[1];
        async Task UploaderAsync()
        {
            using var client = new TestServer.ClientHelper(_cluster.Nginx.BaseUrl);
            while (queue.TryDequeue(out var wheel))
            {
                try
                {
                    using var response = await NodeCluster.UploadAsync(client, "team/dev", wheel);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(wheel);
                    }
                    else
                    {
                        failed.Add((wheel, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}"));
                    }
                }
                catch (HttpRequestException e)
                {
                    failed.Add((wheel, e.Message));
                }
                if (acknowledged.Count >= 12 && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    victim.Kill(); // SIGKILL while the other uploaders are mid-request
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(UploaderAsync)));
        killed.Should().Be(1);
        acknowledged.Count.Should().BeGreaterThan(wheels.Count / 2, "the two survivors take the uploads once nginx has routed around the dead node; failed: "
            + string.Join("; ", failed.Select(f => $"{f.Wheel.FileName}: {f.Answer}")));

        foreach (var wheel in acknowledged)
        {
            await NodeCluster.ShouldServeAsync(_cluster.ThroughNginx, "team/dev", wheel, "(acknowledged before or after the kill; through nginx)");
            await NodeCluster.ShouldServeAsync(_cluster.Clients[0], "team/dev", wheel, "(acknowledged; straight from a survivor)");
            await NodeCluster.ShouldServeAsync(_cluster.Clients[2], "team/dev", wheel, "(acknowledged; straight from a survivor)");
        }
        // A client retries what was not acknowledged (nginx never retries a POST itself): now every one goes in.
        foreach (var (wheel, _) in failed)
        {
            using var retry = await NodeCluster.UploadAsync(_cluster.ThroughNginx, "team/dev", wheel);
            retry.StatusCode.Should().BeOneOf(HttpStatusCode.OK);
            await NodeCluster.ShouldServeAsync(_cluster.ThroughNginx, "team/dev", wheel, "(retried after the kill)");
        }
    }

    [Fact]
    public async Task The_same_file_uploaded_to_a_non_volatile_index_on_two_nodes_at_once_is_one_success_and_one_conflict()
    {
        for (var round = 0; round < 6; round++)
        {
            // The same file name with two contents (a rebuild): the index keeps whichever commits first.
            var version = $"1.{round}";
            var contenders = new[]
            {
                NodeCluster.MakeWheel("racer", version),
                new NodeCluster.Wheel("racer", version, Distributions.Wheel("racer", version, requiresPython: ">=3.9")),
            };
            contenders[0].Sha256.Should().NotBe(contenders[1].Sha256);
            using var start = new SemaphoreSlim(0);
            var uploads = contenders.Select(async (wheel, i) =>
            {
                await start.WaitAsync();
                using var response = await NodeCluster.UploadAsync(_cluster.Clients[i], "team/prod", wheel);
                return response.StatusCode;
            }).ToList();
            start.Release(2);
            var statuses = await Task.WhenAll(uploads);
            statuses.Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict], $"round {round}");
            var winner = contenders[Array.IndexOf(statuses, HttpStatusCode.OK)];
            await NodeCluster.ShouldServeAsync(_cluster.Clients[2], "team/prod", winner, $"round {round}: the acknowledged content");
        }
        // Identical content twice at once is no conflict (devpi accepts an identical re-upload): both 200, stored once.
        var same = NodeCluster.MakeWheel("twin", "1.0");
        var twins = await Task.WhenAll(_cluster.Clients.Take(2).Select(async c =>
        {
            using var response = await NodeCluster.UploadAsync(c, "team/prod", same);
            return response.StatusCode;
        }));
        twins.Should().OnlyContain(s => s == HttpStatusCode.OK);
        await NodeCluster.ShouldServeAsync(_cluster.Clients[2], "team/prod", same);
        File.Exists(Path.Combine(_cluster.DataDirectory, "+files", "sha256", same.Sha256[..2], same.Sha256[2..])).Should().BeTrue();
    }

    [Fact]
    public async Task A_push_and_a_delete_racing_on_the_same_release_leave_one_consistent_outcome()
    {
        var outcomes = new List<string>();
        for (var round = 0; round < 6; round++)
        {
            var wheel = NodeCluster.MakeWheel("contested", $"2.{round}");
            using (var upload = await NodeCluster.UploadAsync(_cluster.Clients[0], "team/dev", wheel))
            {
                upload.StatusCode.Should().Be(HttpStatusCode.OK);
            }
            using var start = new SemaphoreSlim(0);
            var push = Task.Run(async () =>
            {
                await start.WaitAsync();
                using var r = await _cluster.Clients[1].SendAsync(new HttpMethod("PUSH"), "team/dev", "team", "team-pw",
                    $$"""{"name": "contested", "version": "{{wheel.Version}}", "targetindex": "team/prod"}""");
                return r.StatusCode;
            });
            var delete = Task.Run(async () =>
            {
                await start.WaitAsync();
                using var r = await _cluster.Clients[2].SendAsync(HttpMethod.Delete, $"team/dev/contested/{wheel.Version}", "team", "team-pw");
                return r.StatusCode;
            });
            start.Release(2);
            var (pushed, deleted) = (await push, await delete);
            deleted.Should().Be(HttpStatusCode.OK, "the delete wins or comes second; either way it deletes");
            pushed.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.NotFound], "a push after the delete finds no release");
            // dev no longer has the version, on any node.
            foreach (var node in _cluster.Clients)
            {
                using var version = await node.SendAsync(HttpMethod.Get, $"team/dev/contested/{wheel.Version}");
                version.StatusCode.Should().Be(HttpStatusCode.NotFound);
            }
            using var prod = await _cluster.Clients[0].SendAsync(HttpMethod.Get, $"team/prod/contested/{wheel.Version}");
            if (pushed == HttpStatusCode.OK)
            {
                prod.StatusCode.Should().Be(HttpStatusCode.OK, "a push that answered 200 happened before the delete, whole");
                await NodeCluster.ShouldServeAsync(_cluster.Clients[0], "team/prod", wheel, $"round {round}: pushed");
                outcomes.Add("pushed, then deleted");
            }
            else
            {
                prod.StatusCode.Should().Be(HttpStatusCode.NotFound, "a refused push leaves nothing behind in the target");
                outcomes.Add("deleted, push refused");
            }
        }
        outcomes.Should().HaveCount(6);
    }

    [Fact]
    public async Task A_layout_applied_beside_the_nodes_ends_once_every_live_node_has_taken_it_in()
    {
        var work = Directory.CreateTempSubdirectory("wh-nodes-layout-").FullName;
        try
        {
            var layout = Path.Combine(work, "layout.yaml");
            await File.WriteAllTextAsync(layout, """
                version: 1
                users:
                  ops:
                    password_env: WHEELHOUSE_PASSWORD_QA
                indexes:
                  ops/laid:
                    bases: []
                """);
            // A node that holds a lease and never takes anything in (stopped in a debugger, say), for six seconds. The
            // clock starts before the lease does: on a loaded machine the renewal itself can return a second late. The
            // lease is long enough that the command's own work before its wait (opening the database, hashing the
            // password) leaves well over the second after which it says that it waited.
            var started = System.Diagnostics.Stopwatch.StartNew();
            using (var lagging = Wheelhouse.Storage.Postgres.PostgresMetadataStore.Open(_cluster.ConnectionString))
            {
                await lagging.RenewLeaseAsync("lagging-node", TimeSpan.FromSeconds(6), CancellationToken.None);
            }

            var applied = await Layout.LayoutCommand.RunWithStorageAsync(work, _cluster.DataDirectory, _cluster.Storage, "layout", "apply", layout);

            applied.Code.Should().Be(0, applied.Err);
            started.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(5), "the apply waits for the node that has not taken it in, until its lease ends");
            applied.Out.Should().Contain("applied").And.Contain("for the other server nodes to take the change in");
            foreach (var node in _cluster.Clients)
            {
                // At once, no waiting: the live nodes had taken it in before the command ended.
                using var index = await node.SendAsync(HttpMethod.Get, "ops/laid");
                index.StatusCode.Should().Be(HttpStatusCode.OK, await index.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }
}
