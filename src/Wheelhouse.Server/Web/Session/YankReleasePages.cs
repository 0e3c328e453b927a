using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// Yanking a release from the browser (PEP 592): <c>GET …/{version}/+yank</c> asks for the reason (or offers to take a
/// yank back), <c>POST</c> (with the form's CSRF token) goes through <see cref="ReleaseYanking"/>, which decides who may
/// (the index's <c>acl_upload</c>) and answers the same as the JSON API.
/// </summary>
public static class YankReleasePages
{
    public const string Route = "/{user}/{index}/{project}/{version}/+yank";

    private const string ReasonField = "reason";
    private const string UndoField = "undo";

    /// <summary>Where the version page's yank link leads.</summary>
    public static string UrlOf(string user, string index, string project, string version) =>
        $"{ReleaseFormLookup.VersionUrl(user, index, project, version)}/+yank";

    public static void Map(WebApplication app)
    {
        app.MapGet(Route, Ask);
        app.MapPost(Route, SetAsync);
    }

    private static async Task Ask(HttpContext c, [AsParameters] ReleaseFormLookup.VersionRoute route, WebSessions sessions, UsersAndIndexes known,
        ReleaseService releases)
    {
        if (await ReleaseFormLookup.FindAsync(c, route, sessions, known, releases, Refusal, "yanked") is not { } found)
        {
            return;
        }
        var (viewer, entry, release, _) = found;
        var what = SessionPage.Escape($"{release.DisplayName} {release.Version}");
        var action = SessionPage.Escape(SessionPage.Root(c) + UrlOf(entry.User, entry.Name, release.Project, release.Version));
        var cancel = $"<a href=\"{SessionPage.Escape(SessionPage.Root(c) + ReleaseFormLookup.VersionUrl(entry.User, entry.Name, release.Project, release.Version))}\">Cancel</a>";
        if (Yanked.Read(release.MetadataJson) is { } reason)
        {
            await SessionPage.WriteAsync(c, 200, $"Take back the yank of {release.DisplayName} {release.Version}?", viewer, $"""
                <p><strong>{what}</strong> in <strong>{SessionPage.Escape(entry.IndexPath.ToString())}</strong> is yanked{(reason.Length == 0 ? "" : ": " + SessionPage.Escape(reason))}.</p>
                <p>Taken back, pip and uv choose it again like any other release.</p>
                <form class="yank" method="post" action="{action}">
                {SessionPage.CsrfField(viewer)}
                <input type="hidden" name="{UndoField}" value="1">
                <button type="submit">Take back the yank of {what}</button>
                {cancel}
                </form>
                """);
            return;
        }
        await SessionPage.WriteAsync(c, 200, $"Yank {release.DisplayName} {release.Version}?", viewer, $"""
            <p>Yanking <strong>{what}</strong> in <strong>{SessionPage.Escape(entry.IndexPath.ToString())}</strong> keeps its files, but pip and uv
            pass over it unless it is pinned with <code>==</code>, and then show the reason. Indexes that inherit from it do the same. It can be taken back.</p>
            <form class="yank danger" method="post" action="{action}">
            {SessionPage.CsrfField(viewer)}
            <label>Reason (shown to whoever installs it) <input name="{ReasonField}" maxlength="{Yanked.MaxReasonLength}" size="60"></label>
            <button type="submit" class="danger">Yank {what}</button>
            {cancel}
            </form>
            """);
    }

    private static string? Refusal(WebViewer viewer, IndexEntry entry) => viewer.MayYankIn(entry) ? null
        : entry.IsMirror ? ReleaseYanking.MirrorRefusal(entry)
        : $"{viewer.User} may not yank releases in {entry.IndexPath} (acl_upload)";

    private static async Task SetAsync(HttpContext c, [AsParameters] ReleaseFormLookup.VersionRoute route, WebSessions sessions, CsrfTokens csrf, ReleaseYanking yanking)
    {
        if (!await ReleaseFormLookup.PostAsync(c, sessions, csrf, (viewer, form) => yanking.SetAsync(viewer.Principal, route.User, route.Index, route.Project,
            route.Version, form.ContainsKey(UndoField) ? null : form[ReasonField].ToString().Trim(), c.RequestAborted)))
        {
            return;
        }
        SessionPage.SeeOther(c, ReleaseFormLookup.VersionUrl(route.User, route.Index, ProjectName.Normalize(route.Project), route.Version));
    }
}
