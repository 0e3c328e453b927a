using Wheelhouse.Server.Catalog;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// devpi's default rights (spec "Authentication"): a user and root manage that user and create its indexes; root and
/// the owner manage an index; <c>acl_upload</c> may upload and delete release files; everyone may read.
/// </summary>
public static class Rights
{
    public static bool CanManageUser(RequestIdentity who, string user) => who.IsRoot || who.User == user;

    public static bool CanManageIndex(RequestIdentity who, IndexEntry index) => who.IsRoot || who.User == index.User;

    public static bool CanUpload(RequestIdentity who, IndexEntry index)
    {
        foreach (var entry in index.AclUpload)
        {
            if (entry == ":ANONYMOUS:" || (entry == ":AUTHENTICATED:" && who.IsAuthenticated) || (who.User is not null && entry == who.User))
            {
                return true;
            }
        }
        return false;
    }
}
