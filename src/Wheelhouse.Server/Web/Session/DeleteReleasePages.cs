using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// Deleting a release from the browser: <c>GET …/{version}/+delete</c> asks for confirmation and lists the files that
/// go, <c>POST</c> (with the form's CSRF token) deletes through <see cref="ReleaseService.DeleteReleasesAsync"/>, which
/// decides who may (a volatile index's <c>acl_upload</c>; never a non-volatile index from here: no force).
/// </summary>
public static class DeleteReleasePages
{
    public const string Route = "/{user}/{index}/{project}/{version}/+delete";

    /// <summary>Where the version page's delete button leads.</summary>
    public static string UrlOf(string user, string index, string project, string version) => $"{ReleaseFormLookup.VersionUrl(user, index, project, version)}/+delete";

    public static void Map(WebApplication app)
    {
        app.MapGet(Route, Confirm);
        app.MapPost(Route, DeleteAsync);
    }

    private static async Task Confirm(HttpContext c, [AsParameters] ReleaseFormLookup.VersionRoute route, WebSessions sessions, UsersAndIndexes known, ReleaseService releases)
    {
        if (await ReleaseFormLookup.FindAsync(c, route, sessions, known, releases, Refusal, "deleted") is not { } found)
        {
            return;
        }
        var (viewer, entry, release, _) = found;
        var files = found.Files.Select(f => $"<li><code>{SessionPage.Escape(f.FileName)}</code>{(f.Kind == FileKind.DocZip ? " (documentation)" : "")}</li>");
        var what = $"{release.DisplayName} {release.Version}";
        var root = SessionPage.Root(c);
        await SessionPage.WriteAsync(c, 200, $"Delete {what}?", viewer, $"""
            <p>This deletes <strong>{SessionPage.Escape(what)}</strong> from the volatile index <strong>{SessionPage.Escape(entry.IndexPath.ToString())}</strong> with its files:</p>
            <ul class="files">{string.Concat(files)}</ul>
            <p>Indexes that inherit from it stop seeing this release. This cannot be undone.</p>
            <form class="delete danger" method="post" action="{SessionPage.Escape(root + UrlOf(entry.User, entry.Name, release.Project, release.Version))}">
            {SessionPage.CsrfField(viewer)}
            <button type="submit" class="danger">Delete {SessionPage.Escape(what)}</button>
            <a href="{SessionPage.Escape(root + ReleaseFormLookup.VersionUrl(entry.User, entry.Name, release.Project, release.Version))}">Cancel</a>
            </form>
            """);
    }

    private static string? Refusal(WebViewer viewer, IndexEntry entry) => viewer.MayDeleteFrom(entry) ? null
        : entry.Volatile ? $"{viewer.User} may not delete from {entry.IndexPath} (acl_upload)"
        : $"{entry.IndexPath} is not volatile: its releases cannot be deleted";

    private static async Task DeleteAsync(HttpContext c, [AsParameters] ReleaseFormLookup.VersionRoute route, WebSessions sessions, CsrfTokens csrf, UsersAndIndexes known,
        ReleaseService releases)
    {
        if (!await ReleaseFormLookup.PostAsync(c, sessions, csrf, (viewer, _) =>
            releases.DeleteReleasesAsync(viewer.Principal, route.User, route.Index, route.Project, route.Version, force: false, c.RequestAborted)))
        {
            return;
        }
        // Back to the project while the index still shows versions of it, else to the index.
        var indexUrl = $"/{Uri.EscapeDataString(route.User)}/{Uri.EscapeDataString(route.Index)}";
        var normalized = ProjectName.Normalize(route.Project);
        var remains = known.FindIndex(route.User, route.Index) is { } entry
            && releases.Project(entry, normalized, ignoreBases: false) is Outcome<ReleaseService.ProjectReleases>.Unchanged;
        SessionPage.SeeOther(c, remains ? $"{indexUrl}/{Uri.EscapeDataString(normalized)}" : indexUrl);
    }

}
