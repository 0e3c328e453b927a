namespace Wheelhouse.Storage;

/// <summary>
/// A writer that can commit a copy of another store as it was: the source's serial (clients compare X-Devpi-Serial,
/// it must never go back) and identity (X-Devpi-Uuid), instead of advancing its own by one. Only
/// <see cref="MetadataCopier"/> uses it, on an empty store.
/// </summary>
internal interface IBulkLoadTarget
{
    long CommitAs(long serial, string uuid);
}
