using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Http;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Web.Session;

/// <summary>
/// What a release's forms (delete, yank) check before they show: a logged-in viewer (anyone else is sent to log in),
/// the index, the viewer's right there, and a release stored in that index itself, not inherited from a base; and how
/// their posts are taken: the CSRF token first, then the application service, whose refusal becomes the page.
/// </summary>
internal static class ReleaseFormLookup
{
    /// <summary>A release's page route: <c>/{user}/{index}/{project}/{version}/+…</c>.</summary>
    public readonly record struct VersionRoute(string User, string Index, string Project, string Version);

    public sealed record Found(WebViewer Viewer, IndexEntry Index, ReleaseRecord Release, IReadOnlyList<FileRecord> Files);

    /// <param name="refusal">Why the viewer may not act on the index (a 403 page), or null when they may.</param>
    /// <param name="acted">What the form does, for the refusal of a base's release ("deleted", "yanked").</param>
    /// <returns>The release, or null once the answer (the log-in redirect, or a refusal page) is written.</returns>
    public static async Task<Found?> FindAsync(HttpContext c, VersionRoute route, WebSessions sessions, UsersAndIndexes known, ReleaseService releases,
        Func<WebViewer, IndexEntry, string?> refusal, string acted)
    {
        var viewer = sessions.ViewerOf(c);
        if (viewer.IsAnonymous)
        {
            c.Response.Redirect(SessionPage.Root(c) + LoginPages.FormPage + "?next=" + Uri.EscapeDataString(c.Request.Path.Value ?? "/"));
            return null;
        }
        if (known.FindIndex(route.User, route.Index) is not { } entry)
        {
            await SessionPage.RefusedAsync(c, 404, viewer, $"index {route.User}/{route.Index} does not exist");
            return null;
        }
        if (refusal(viewer, entry) is { } refused)
        {
            await SessionPage.RefusedAsync(c, 403, viewer, refused);
            return null;
        }
        if (releases.Version(entry, route.Project, route.Version) is not Outcome<ReleaseService.ProjectReleases>.Unchanged { Value: var found }
            || found.Releases[0] is not { } release || release.User != entry.User || release.Index != entry.Name)
        {
            await SessionPage.RefusedAsync(c, 404, viewer, $"{route.Project} {route.Version} is not stored in {entry.IndexPath} (a base's release is {acted} there)");
            return null;
        }
        return new Found(viewer, entry, release, [.. found.Files.Where(f => f.Version == release.Version).OrderBy(f => f.FileName, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Checks the post's CSRF token, then runs <paramref name="act"/> as the viewer. True when it was done (or changed
    /// nothing): the caller redirects. False once the refusal page is written.
    /// </summary>
    public static async Task<bool> PostAsync(HttpContext c, WebSessions sessions, CsrfTokens csrf, Func<WebViewer, IFormCollection, Task<Outcome<string>>> act)
    {
        var viewer = sessions.ViewerOf(c);
        var form = await LoginPages.FormOf(c);
        if (form is null || !csrf.IsValid(c, viewer.User, form[CsrfTokens.FieldName]))
        {
            await LoginPages.CsrfRefusedAsync(c, viewer);
            return false;
        }
        switch (await act(viewer, form))
        {
            case Outcome<string>.Refused { Refusal: var refusal }:
                await SessionPage.RefusedAsync(c, Answer.StatusOf(refusal), viewer, refusal.Reason);
                return false;
            case Outcome<string>.Changed changed:
                DevpiHeaders.StampSerial(c, changed.Serial);
                break;
        }
        return true;
    }

    /// <summary>The release's own page, root-relative.</summary>
    public static string VersionUrl(string user, string index, string project, string version) => new WebLinks("").Version(user, index, project, version);
}
