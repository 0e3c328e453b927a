namespace Wheelhouse.Storage;

/// <summary>The steps of <see cref="UnitOfWork.Commit"/>, in their order; a crash can fall between any two.</summary>
public enum CommitStep
{
    /// <summary>New blobs renamed into the store (durable, not yet referenced).</summary>
    PublishBlobs,

    /// <summary>The served names of what is removed or replaced are unlinked (durably).</summary>
    UnlinkServedNames,

    /// <summary>The rows are committed and the serial advanced: from here the write is acknowledged.</summary>
    CommitRows,

    /// <summary>The served names of what was added are linked.</summary>
    LinkServedNames,

    /// <summary>Blobs that no row references any more are deleted.</summary>
    CollectBlobs,
}
