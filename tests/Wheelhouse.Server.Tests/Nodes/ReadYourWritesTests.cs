using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Hosting;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Storage;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Server.Tests.Nodes;

/// <summary>
/// Two servers in this process on one PostgreSQL database and data directory: what each of the two mechanisms that
/// keep nodes in step does alone (the commit listener, and the check each request waits for while its node is out of
/// step; with the listener stopped, the node's lease is given up, so the check is all that is left). The writers' wait
/// for the other nodes' leases is tested with real processes in Hosting/NodeLeaseTests.
/// </summary>
[Integration]
public sealed class ReadYourWritesTests : IAsyncLifetime
{
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        var storage = new StorageSettings(StorageKind.PostgreSql, PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase("ryw")));
        var data = Directory.CreateTempSubdirectory("wh-ryw-").FullName;
        _a = await TestServer.StartAsync(o => o with { Storage = storage }, data);
        _b = await TestServer.StartAsync(o => o with { Storage = storage }, data);
        await _a.CreateUserAsync("team");
        await _a.CreateIndexAsync("team", "dev");
    }

    public async Task DisposeAsync()
    {
        await _b.StopKeepingDataAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task Without_announcements_a_page_still_includes_what_another_node_just_acknowledged()
    {
        // Silence B's listener (and its periodic fallback): only the check each request waits for is left.
        await _b.Services.GetServices<IHostedService>().OfType<CommitListener>().Single().StopAsync(CancellationToken.None);
        _b.Services.GetRequiredService<OtherProcessChanges>().Shared.Should().BeTrue();
        var a = _a.Services.GetRequiredService<PackageStore>();
        IndexRecord dev;
        using (var reader = a.Read())
        {
            dev = reader.Indexes().Single(i => i.Name == "dev");
        }
        for (var i = 0; i < 15; i++)
        {
            // B has just looked at the database (a request), then A commits, then B is asked: no time for any interval.
            (await _b.Client.GetAsync("+api")).StatusCode.Should().Be(HttpStatusCode.OK);
            using (var work = await a.BeginAsync())
            {
                work.AddIndex(dev with { Name = $"quick{i}" });
                work.Commit();
            }
            using var index = await _b.SendAsync(HttpMethod.Get, $"team/quick{i}");
            index.StatusCode.Should().Be(HttpStatusCode.OK, $"index {i} was committed by A before B was asked");
        }
        var wheel = await _a.UploadWheelAsync("team/dev", "team", "quiet", "1.0");
        (await _b.Client.GetStringAsync("team/dev/+simple/quiet/")).Should().Contain(Distributions.Sha256(wheel));
    }

    [Fact]
    public async Task A_node_stopped_cleanly_leaves_the_lease_table_and_holds_no_write_up()
    {
        var storage = _b.Services.GetRequiredService<ServerOptions>().Storage;
        var c = await TestServer.StartAsync(o => o with { Storage = storage }, _b.Services.GetRequiredService<ServerOptions>().DataDirectory);
        await _a.UploadWheelAsync("team/dev", "team", "three", "1.0"); // all three take it in
        await c.StopKeepingDataAsync();
        var waited = _a.Services.GetRequiredService<ServerMetrics>().AcknowledgementWait;
        var before = waited.Sum;
        await _a.UploadWheelAsync("team/dev", "team", "two", "1.0");
        (waited.Sum - before).Should().BeLessThan(NodeLease.Duration.TotalSeconds / 2, "a node that left is not waited for (its lease would hold the write up to its end)");
    }

    [Fact]
    public async Task An_idle_node_takes_in_another_node_s_commit_from_its_announcement_without_a_request()
    {
        var b = _b.Services.GetRequiredService<PackageStore>();
        await _a.UploadWheelAsync("team/dev", "team", "announced", "1.0");
        var a = _a.Services.GetRequiredService<PackageStore>().Serial;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (b.Serial < a && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        b.Serial.Should().Be(a, "B learns of the commit with no request made to it");
    }
}
