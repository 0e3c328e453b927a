using System.Globalization;
using Npgsql;

namespace Wheelhouse.Storage.Postgres;

/// <summary>The nodes' leases (<see cref="INodeLeases"/>): one row per node in <c>nodes</c>.</summary>
public sealed partial class PostgresMetadataStore : INodeLeases
{
    /// <summary>The channel every acknowledgement notifies, to wake the writers waiting for it.</summary>
    public const string AcknowledgementChannel = "wheelhouse_ack";

    /// <summary>A row whose lease ended this long ago is a node that stopped without leaving; the next registration removes it.</summary>
    private static readonly TimeSpan ForgottenAfter = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _leaseGate = new(1, 1);
    private NpgsqlConnection? _leaseConnection;

    /// <inheritdoc />
    public async Task<int> RenewLeaseAsync(string nodeId, TimeSpan lease, CancellationToken cancellationToken)
    {
        // now() is when the statement began, after the caller sent it: the lease never ends before the caller's own
        // count of it (from the moment it sent the renewal) does.
        var count = await OnLeaseConnectionAsync(
            """
            INSERT INTO nodes (node_id, seen_serial, lease_until) VALUES (@id, 0, now() + @lease)
                ON CONFLICT (node_id) DO UPDATE SET lease_until = excluded.lease_until;
            DELETE FROM nodes WHERE lease_until < now() - @forgotten;
            SELECT count(*) FROM nodes WHERE lease_until > now();
            """, [("id", nodeId), ("lease", lease), ("forgotten", ForgottenAfter)], cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(count, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public Task AcknowledgeAsync(string nodeId, long serial, CancellationToken cancellationToken) =>
        OnLeaseConnectionAsync(
            $"""
            UPDATE nodes SET seen_serial = greatest(seen_serial, @s) WHERE node_id = @id;
            SELECT pg_notify('{AcknowledgementChannel}', @id);
            """, [("id", nodeId), ("s", serial)], cancellationToken);

    /// <inheritdoc />
    public async Task<(int Count, TimeSpan FirstLeaseEnds)> LaggingNodesAsync(string? nodeId, long serial, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var cmd = PostgresSql.Command(connection,
                    """
                    SELECT count(*), coalesce(extract(epoch FROM min(lease_until) - now()), 0)::float8 FROM nodes
                    WHERE node_id <> @id AND seen_serial < @s AND lease_until > now();
                    """, null, [("id", nodeId ?? ""), ("s", serial)]);
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return (Convert.ToInt32(reader.GetInt64(0)), TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(1))));
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Unavailable(e);
        }
    }

    /// <inheritdoc />
    public Task LeaveAsync(string nodeId, CancellationToken cancellationToken) =>
        OnLeaseConnectionAsync("DELETE FROM nodes WHERE node_id = @id;", [("id", nodeId)], cancellationToken);

    /// <summary>Runs <paramref name="sql"/> (no transaction: each statement commits) on the kept lease connection; its last result.</summary>
    private async Task<object?> OnLeaseConnectionAsync(string sql, (string Name, object? Value)[] args, CancellationToken cancellationToken)
    {
        await _leaseGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _leaseConnection ??= await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var cmd = PostgresSql.Command(_leaseConnection, sql, null, args);
            return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            // A broken (or interrupted) connection is not reused: the next call opens a new one.
            _leaseConnection?.Dispose();
            _leaseConnection = null;
            if (e is OperationCanceledException)
            {
                throw;
            }
            throw Unavailable(e);
        }
        finally
        {
            _leaseGate.Release();
        }
    }

    private void DisposeLeaseConnection()
    {
        // As the serial check's: a renewal in flight at the host's stop keeps its connection until it is done.
        if (_leaseGate.Wait(TimeSpan.FromSeconds(5)))
        {
            _leaseConnection?.Dispose();
            _leaseConnection = null;
            _leaseGate.Release();
        }
    }
}
