using System.Globalization;
using Npgsql;

namespace Wheelhouse.Storage.Postgres;

/// <summary>
/// What other processes commit (<see cref="ICommitNotifications"/>): their <c>NOTIFY</c>s on a listening connection,
/// and the stored serial, read on a connection kept for it.
/// </summary>
public sealed partial class PostgresMetadataStore
{
    private readonly SemaphoreSlim _serialCheck = new(1, 1);
    private NpgsqlConnection? _serialConnection;
    private NpgsqlCommand? _serialQuery;

    /// <inheritdoc />
    public Task ListenAsync(Action<long> committed, CancellationToken cancellationToken) => ListenAsync(committed, listening: null, acknowledged: null, cancellationToken);

    /// <inheritdoc />
    public async Task ListenAsync(Action<long> committed, Action? listening, Action? acknowledged, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Unavailable(e);
        }
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += (_, n) =>
            {
                if (n.Channel == SerialChannel && long.TryParse(n.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
                {
                    committed(serial);
                }
                else if (n.Channel == AcknowledgementChannel)
                {
                    acknowledged?.Invoke();
                }
            };
            try
            {
                var channels = acknowledged is null ? $"LISTEN {SerialChannel};" : $"LISTEN {SerialChannel}; LISTEN {AcknowledgementChannel};";
                await using (var listen = PostgresSql.Command(connection, channels, null, []))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                listening?.Invoke();
                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // asked to stop
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                throw Unavailable(e);
            }
        }
    }

    /// <inheritdoc />
    public async Task<long> StoredSerialAsync(CancellationToken cancellationToken)
    {
        await _serialCheck.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_serialQuery is null)
            {
                _serialConnection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                _serialQuery = new NpgsqlCommand("SELECT value AS stored_serial FROM serial WHERE id = 1;", _serialConnection);
                await _serialQuery.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }
            // A statement outside a transaction sees every transaction committed before it began.
            return (long)(await _serialQuery.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (OperationCanceledException)
        {
            DropSerialConnection(); // in the middle of a query: not reused
            throw;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // A broken connection is not reused: the next check opens a new one.
            DropSerialConnection();
            throw Unavailable(e);
        }
        finally
        {
            _serialCheck.Release();
        }
    }

    private void DropSerialConnection()
    {
        _serialQuery?.Dispose();
        _serialConnection?.Dispose();
        _serialQuery = null;
        _serialConnection = null;
    }

    private void DisposeSerialConnection()
    {
        // A serial check can still be running when the host stops (the read barrier and the commit listener outlive the
        // last request): its connection goes only once it is done, and the semaphore is left undisposed because that
        // check releases it.
        if (_serialCheck.Wait(TimeSpan.FromSeconds(5)))
        {
            DropSerialConnection();
            _serialCheck.Release();
        }
    }
}
