using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Security;

/// <summary>
/// The default rights of the devpi protocol, in one place: anyone may create a user and read; a user and root may
/// modify or delete that user and create its indexes; root and the owner modify and delete an index; the entries of
/// <c>acl_upload</c> (default: the owner) upload release files, and delete them with root and the owner (as devpi);
/// deleting from a non-volatile index needs <c>force</c> by root or the owner; a non-volatile index, and a user owning
/// one, cannot be deleted.
/// </summary>
public static class Authorization
{
    public static AuthorizationDecision Check(Principal principal, Permission permission) => permission switch
    {
        Permission.Read or Permission.CreateUser => AuthorizationDecision.Allow,
        Permission.ModifyUser p => SelfOrRoot(principal, p.User, $"modify user {p.User}"),
        Permission.DeleteUser p => p.OwnsNonVolatileIndex && IsAllowed(principal, new Permission.ModifyUser(p.User))
            ? Refuse($"user {p.User} owns a non-volatile index; delete or make volatile its indexes first")
            : SelfOrRoot(principal, p.User, $"delete user {p.User}"),
        Permission.CreateIndex p => SelfOrRoot(principal, p.Owner, $"create indexes for {p.Owner}"),
        Permission.ModifyIndex p => SelfOrRoot(principal, p.Index.User, $"modify index {p.Index}"),
        Permission.DeleteIndex p => !p.Config.Volatile && IsAllowed(principal, new Permission.ModifyIndex(p.Index))
            ? Refuse($"index {p.Index} is not volatile and cannot be deleted; set volatile=true first if you mean it")
            : SelfOrRoot(principal, p.Index.User, $"delete index {p.Index}"),
        Permission.Upload p => InAcl(principal, p.Config.AclUpload, $"{principal} may not upload to {p.Index} (acl_upload)"),
        Permission.UploadToxResult p => InAcl(principal, p.Config.AclToxresultUpload, $"{principal} may not upload test results to {p.Index} (acl_toxresult_upload)"),
        Permission.DeleteReleaseFiles p => DeleteReleaseFiles(principal, p),
        Permission.YankRelease p => InAcl(principal, p.Config.AclUpload, $"{principal} may not yank releases in {p.Index} (acl_upload)"),
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "unknown permission"),
    };

    public static bool IsAllowed(Principal principal, Permission permission) => Check(principal, permission).Allowed;

    /// <summary>Whether <paramref name="principal"/> may upload to (or push into) the index: its <c>acl_upload</c>.</summary>
    public static AuthorizationDecision CanUpload(IndexPath index, IndexConfig config, Principal principal) =>
        Check(principal, new Permission.Upload(index, config));

    // A refusal no log-in can overcome: the HTTP edge answers 403 whoever asks.
    private static AuthorizationDecision Refuse(string reason) => new(false, reason, false);

    /// <param name="action">What only <paramref name="user"/> or root may do ("modify index team/dev").</param>
    private static AuthorizationDecision SelfOrRoot(Principal principal, UserName user, string action) =>
        principal.IsRoot || principal.Is(user) ? AuthorizationDecision.Allow
            : AuthorizationDecision.Deny(principal, user.IsRoot ? $"only root may {action}" : $"only {user} or root may {action}");

    private static AuthorizationDecision InAcl(Principal principal, IReadOnlyList<AclEntry> acl, string reason) =>
        acl.Any(e => e.Includes(principal)) ? AuthorizationDecision.Allow : AuthorizationDecision.Deny(principal, reason);

    private static AuthorizationDecision DeleteReleaseFiles(Principal principal, Permission.DeleteReleaseFiles p)
    {
        if (p.Config.Volatile)
        {
            // As devpi: root and the owner may always clean up, even where acl_upload leaves them out (a mirror's is empty).
            return principal.IsRoot || principal.Is(p.Index.User)
                ? AuthorizationDecision.Allow
                : InAcl(principal, p.Config.AclUpload,
                    $"{principal} may not delete from {p.Index} (acl_upload{(p.Index.User.IsRoot ? "" : $", {p.Index.User}")} or root)");
        }
        if (!p.Force)
        {
            return Refuse($"{p.Index} is not volatile: its releases cannot be deleted (root or the owner may use ?force)");
        }
        return SelfOrRoot(principal, p.Index.User, $"force a deletion from the non-volatile index {p.Index}");
    }
}
