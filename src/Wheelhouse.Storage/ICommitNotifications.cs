namespace Wheelhouse.Storage;

/// <summary>
/// Offered by a metadata store that several processes share (PostgreSQL): every commit, by any process, announces its
/// serial, and a listener learns of it at once. The SQLite store does not offer it (other processes there are rare:
/// <c>layout apply</c>; the server polls the stored serial). <see cref="PackageStore.CommitNotifications"/> gives it.
/// </summary>
public interface ICommitNotifications
{
    /// <summary>
    /// Listens on a connection of its own and calls <paramref name="committed"/> with the serial of every commit made
    /// from now on (its own process's too; in commit order, possibly several at once after a pause), until
    /// <paramref name="cancellationToken"/> is cancelled (then it returns). A lost connection ends it with a
    /// <see cref="StorageUnavailableException"/>: the caller waits, listens again and compares
    /// <see cref="IMetadataReader.StoredSerial"/>, since commits made meanwhile were not announced to it.
    /// </summary>
    Task ListenAsync(Action<long> committed, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="ListenAsync(Action{long}, CancellationToken)"/>; also calls <paramref name="listening"/> once the
    /// connection listens (every commit after that is announced to it), and <paramref name="acknowledged"/> whenever a
    /// node records that it has taken a serial in (<see cref="INodeLeases.AcknowledgeAsync"/>).
    /// </summary>
    Task ListenAsync(Action<long> committed, Action? listening, Action? acknowledged, CancellationToken cancellationToken);

    /// <summary>
    /// The serial of the last commit any process stored, read in one round trip on a connection kept for it (no
    /// transaction, no connection from the pool): every commit acknowledged before the call is included. What a
    /// node's read barrier asks before each batch of requests, so it must be cheap.
    /// </summary>
    /// <exception cref="StorageUnavailableException">The database cannot be reached; the next call connects again.</exception>
    Task<long> StoredSerialAsync(CancellationToken cancellationToken);
}
