using Wheelhouse.Storage.Postgres;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Storage.Tests.Postgres;

/// <summary>The nodes' leases in PostgreSQL (<see cref="INodeLeases"/>): who lags a serial, until its lease ends or it leaves.</summary>
[Integration]
public sealed class PostgresNodeLeasesTests
{
    private readonly string _connectionString = PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase("leases"));

    [Fact]
    public async Task A_node_lags_a_serial_until_it_acknowledges_it_its_lease_ends_or_it_leaves()
    {
        using var a = PostgresMetadataStore.Open(_connectionString);
        using var b = PostgresMetadataStore.Open(_connectionString);
        var ct = CancellationToken.None;
        var acknowledged = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listening = new TaskCompletionSource();
        var listen = a.ListenAsync(_ => { }, listening.SetResult, () => Interlocked.Increment(ref acknowledged), stop.Token);
        await listening.Task;

        (await a.RenewLeaseAsync("a", TimeSpan.FromMinutes(1), ct)).Should().Be(1);
        (await b.RenewLeaseAsync("b", TimeSpan.FromMinutes(1), ct)).Should().Be(2);
        (await a.LaggingNodesAsync("a", 1, ct)).Count.Should().Be(1, "b has taken nothing in yet");
        (await a.LaggingNodesAsync("a", 1, ct)).FirstLeaseEnds.Should().BeGreaterThan(TimeSpan.FromSeconds(50)).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        (await a.LaggingNodesAsync(null, 1, ct)).Count.Should().Be(2, "a writer that is no node waits for every node");

        await b.AcknowledgeAsync("b", 5, ct);
        await b.AcknowledgeAsync("b", 3, ct); // an older acknowledgement never takes a node back
        (await a.LaggingNodesAsync("a", 5, ct)).Count.Should().Be(0);
        (await a.LaggingNodesAsync("a", 6, ct)).Count.Should().Be(1);
        while (Volatile.Read(ref acknowledged) < 2 && !stop.IsCancellationRequested)
        {
            await Task.Delay(10);
        }
        acknowledged.Should().Be(2, "every acknowledgement is announced");

        (await b.RenewLeaseAsync("b", TimeSpan.FromMilliseconds(300), ct)).Should().Be(2);
        (await a.LaggingNodesAsync("a", 6, ct)).Count.Should().Be(1);
        await Task.Delay(500);
        (await a.LaggingNodesAsync("a", 6, ct)).Count.Should().Be(0, "a node whose lease ended counts as gone");
        (await b.RenewLeaseAsync("b", TimeSpan.FromMinutes(1), ct)).Should().Be(2);
        (await a.LaggingNodesAsync("a", 6, ct)).Count.Should().Be(1, "renewed, it keeps what it had acknowledged (5)");

        await b.LeaveAsync("b", ct);
        (await a.LaggingNodesAsync("a", 6, ct)).Count.Should().Be(0, "a node that left is not waited for");
        await stop.CancelAsync();
        await listen;
    }
}
