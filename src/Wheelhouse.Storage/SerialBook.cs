namespace Wheelhouse.Storage;

/// <summary>
/// What a store's process knows of the serial, the same for every backend: its own commits advance it; a commit of
/// ours that skipped serials (another process committed in between) leaves a reload pending, since what callers keep in
/// memory may lack those changes; adopting the stored serial (after the caller reloaded) clears it.
/// </summary>
internal sealed class SerialBook(long serial)
{
    private long _serial = serial;
    private int _pending;

    /// <summary>The serial of the last committed change this process knows of (X-Devpi-Serial).</summary>
    public long Serial => Volatile.Read(ref _serial);

    /// <inheritdoc cref="IMetadataStore.OtherProcessCommitsPending"/>
    public bool OtherProcessCommitsPending => Volatile.Read(ref _pending) != 0;

    /// <summary>Our own commit: under the writer lock it is the next serial, unless another process took some.</summary>
    public void Committed(long serial)
    {
        if (serial != Serial + 1)
        {
            Volatile.Write(ref _pending, 1);
        }
        Volatile.Write(ref _serial, serial);
    }

    /// <summary>The caller has reloaded what it keeps: the stored serial is now ours.</summary>
    public void Adopted(long serial)
    {
        Volatile.Write(ref _serial, Math.Max(serial, Serial));
        Volatile.Write(ref _pending, 0);
    }

    /// <summary><see cref="IMetadataWriter.AdoptOtherProcessesSerial"/> given the <paramref name="stored"/> serial, read under the writer lock.</summary>
    public bool AdoptIfBehind(long stored)
    {
        if (stored <= Serial && !OtherProcessCommitsPending)
        {
            return false;
        }
        Adopted(stored);
        return true;
    }
}
