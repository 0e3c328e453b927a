namespace Wheelhouse.Storage;

/// <summary>
/// Offered by a metadata store that several server nodes share (PostgreSQL): each node holds a lease in the database
/// (its row in <c>nodes</c>, valid until a database time) and records there the serial it has taken in. A writer, after
/// its commit and before it answers, waits until every other node with a valid lease has taken its serial in, or its
/// lease has ended; so a node that still holds its lease never serves a page older than an acknowledged commit.
/// Every acknowledgement is announced (NOTIFY), so waiting writers wake at once (see
/// <see cref="ICommitNotifications.ListenAsync(Action{long}, Action?, Action?, CancellationToken)"/>).
/// </summary>
public interface INodeLeases
{
    /// <summary>
    /// Registers <paramref name="nodeId"/> or renews its lease: valid for <paramref name="lease"/> from the database's
    /// time when the statement runs (never earlier than the call). A new row has taken in nothing (serial 0) until
    /// <see cref="AcknowledgeAsync"/>. Runs on a connection kept for leases. Returns how many nodes hold a valid lease.
    /// </summary>
    /// <exception cref="StorageUnavailableException">The database cannot be reached; the next call connects again.</exception>
    Task<int> RenewLeaseAsync(string nodeId, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="nodeId"/> has taken in every commit up to <paramref name="serial"/>, and announces it.</summary>
    /// <exception cref="StorageUnavailableException">The database cannot be reached.</exception>
    Task AcknowledgeAsync(string nodeId, long serial, CancellationToken cancellationToken);

    /// <summary>
    /// The nodes other than <paramref name="nodeId"/> whose lease is valid and that have not taken in
    /// <paramref name="serial"/>: how many, and how long until the first of their leases ends (by the database's clock).
    /// </summary>
    /// <exception cref="StorageUnavailableException">The database cannot be reached.</exception>
    Task<(int Count, TimeSpan FirstLeaseEnds)> LaggingNodesAsync(string? nodeId, long serial, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="nodeId"/>'s row on a clean stop, so no writer waits for it.</summary>
    /// <exception cref="StorageUnavailableException">The database cannot be reached (its lease then ends on its own).</exception>
    Task LeaveAsync(string nodeId, CancellationToken cancellationToken);
}
