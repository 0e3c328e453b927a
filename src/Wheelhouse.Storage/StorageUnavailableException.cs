namespace Wheelhouse.Storage;

/// <summary>
/// The metadata store could not be read or written (locked past its timeout, disk full, corrupt): infrastructure, not
/// a bug in the request. Carries the backend's exception so that nothing above storage needs to know its types.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
