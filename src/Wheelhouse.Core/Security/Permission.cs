using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Security;

/// <summary>What a request wants to do; <see cref="Authorization.Check"/> decides whether the principal may.</summary>
public abstract record Permission
{
    private Permission()
    {
    }

    public sealed record Read : Permission;

    public sealed record CreateUser : Permission;

    public sealed record ModifyUser(UserName User) : Permission;

    /// <summary>Refused while the user owns a non-volatile index (its releases must not vanish with the user).</summary>
    public sealed record DeleteUser(UserName User, bool OwnsNonVolatileIndex = false) : Permission;

    public sealed record CreateIndex(UserName Owner) : Permission;

    public sealed record ModifyIndex(IndexPath Index) : Permission;

    /// <summary>Refused for a non-volatile index: make it volatile first.</summary>
    public sealed record DeleteIndex(IndexPath Index, IndexConfig Config) : Permission;

    /// <summary>Upload release files (and register versions, and be the target of a push).</summary>
    public sealed record Upload(IndexPath Index, IndexConfig Config) : Permission;

    public sealed record UploadToxResult(IndexPath Index, IndexConfig Config) : Permission;

    /// <summary>Delete release files, versions or projects; on a non-volatile index only with <paramref name="Force"/>.</summary>
    public sealed record DeleteReleaseFiles(IndexPath Index, IndexConfig Config, bool Force) : Permission;

    /// <summary>Marking a release yanked (PEP 592) or no longer: on any index, as uploading to it (its <c>acl_upload</c>).</summary>
    public sealed record YankRelease(IndexPath Index, IndexConfig Config) : Permission;
}
