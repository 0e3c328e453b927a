using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// Who is looking at a page: a logged-in user or anonymous (<see cref="WebSessions.ViewerOf"/>). Pages show the same
/// data to both (everything anonymous API clients can read, and nothing more); a logged-in viewer additionally sees
/// where it may upload and the buttons for what it may change. Whether it may is Core's authorization rule, asked
/// here; the change itself goes through the application service, which asks again.
/// </summary>
public sealed class WebViewer
{
    private readonly Func<string> _csrfToken;

    internal WebViewer(Principal principal, Func<string> csrfToken)
    {
        Principal = principal;
        _csrfToken = csrfToken;
    }

    public Principal Principal { get; }

    /// <summary>The user's name; null when anonymous.</summary>
    public string? User => Principal.User?.Value;

    public bool IsAnonymous => !Principal.IsAuthenticated;

    /// <summary>The value of the hidden <see cref="CsrfTokens.FieldName"/> field of every form on the page (read it before the response starts: it may set a cookie).</summary>
    public string CsrfToken => field ??= _csrfToken();

    public bool MayUploadTo(IndexEntry index) =>
        !IsAnonymous && !index.IsMirror && Authorization.CanUpload(index.IndexPath, index.Config, Principal).Allowed;

    /// <summary>Whether a delete button belongs on the index's releases: a volatile index whose <c>acl_upload</c> names the viewer.</summary>
    public bool MayDeleteFrom(IndexEntry index) =>
        !IsAnonymous && !index.IsMirror && index.Volatile
        && Authorization.IsAllowed(Principal, new Permission.DeleteReleaseFiles(index.IndexPath, index.Config, Force: false));

    /// <summary>Whether a yank link belongs on the index's releases: a stage whose <c>acl_upload</c> names the viewer.</summary>
    public bool MayYankIn(IndexEntry index) =>
        !IsAnonymous && !index.IsMirror && Authorization.IsAllowed(Principal, new Permission.YankRelease(index.IndexPath, index.Config));

    /// <summary>The indexes the viewer may upload to, by owner and name; none when anonymous.</summary>
    public IReadOnlyList<IndexEntry> UploadableIndexes(UsersAndIndexes known) => IsAnonymous
        ? []
        : known.Indexes.Where(MayUploadTo).OrderBy(i => i.User, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
}
