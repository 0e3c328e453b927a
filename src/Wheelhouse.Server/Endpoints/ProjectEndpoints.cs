using System.Text.Json.Nodes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Endpoints;

/// <summary>devpi's project and version views (<c>/{u}/{i}/{p}</c>, <c>/{u}/{i}/{p}/{v}</c>) and their deletion.</summary>
public static class ProjectEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/{user}/{index}/{project}", GetProject);
        app.MapGet("/{user}/{index}/{project}/{version}", GetVersion);
        app.MapPatch("/{user}/{index}/{project}/{version}", Patch);
        app.MapDelete("/{user}/{index}/{project}", (HttpContext c, [AsParameters] ProjectRoute route, ReleaseService releases, Authenticator auth) =>
            Delete(c, route, null, releases, auth));
        app.MapDelete("/{user}/{index}/{project}/{version}", (HttpContext c, [AsParameters] VersionRoute route, ReleaseService releases, Authenticator auth) =>
            Delete(c, new ProjectRoute(route.User, route.Index, route.Project), route.Version, releases, auth));
    }

    public readonly record struct ProjectRoute(string User, string Index, string Project);

    public readonly record struct VersionRoute(string User, string Index, string Project, string Version);

    private static async Task GetProject(HttpContext c, [AsParameters] ProjectRoute route, UsersAndIndexes known, SimplePages pages, ProjectViews views, OutsideUrl url)
    {
        var (user, index, project) = route;
        if (ClientKind.IsInstaller(c.Request))
        {
            await SimpleEndpoints.ProjectPage(c, user, index, project, known, pages);
            return;
        }
        if (known.FindIndex(user, index) is not { } entry)
        {
            await ApiResponse.Error(c, 404, $"index {user}/{index} does not exist");
            return;
        }
        var normalized = ProjectName.Normalize(project);
        if (normalized != project || !ClientKind.WantsJson(c.Request))
        {
            var target = ClientKind.WantsJson(c.Request) ? Uri.EscapeDataString(normalized) : $"+simple/{Uri.EscapeDataString(normalized)}/";
            c.Response.Redirect((c.Request.Path.Value!.EndsWith('/') ? "../" : "") + target + c.Request.QueryString);
            return;
        }
        var root = url.For(c.Request);
        await Answer.With(c, await views.ProjectAsync(entry, normalized, ignoreBases: c.Request.Query.ContainsKey("ignore_bases"), c.RequestAborted),
            found => ApiResponse.Ok(c, "projectconfig", IndexViews.ProjectConfig(found.Releases, found.Files, root)));
    }

    private static async Task GetVersion(HttpContext c, [AsParameters] VersionRoute route, UsersAndIndexes known, ProjectViews views, OutsideUrl url)
    {
        if (known.FindIndex(route.User, route.Index) is not { } entry)
        {
            await ApiResponse.Error(c, 404, $"index {route.User}/{route.Index} does not exist");
            return;
        }
        var root = url.For(c.Request);
        await Answer.With(c, await views.VersionAsync(entry, route.Project, route.Version, c.RequestAborted),
            found => ApiResponse.Ok(c, "versiondata", IndexViews.VersionData(found.Releases[0], found.Files, root)));
    }

    /// <summary><c>{"yanked": "reason"}</c> (or <c>true</c>) yanks the release, <c>{"yanked": false}</c> takes it back (PEP 592).</summary>
    private static async Task Patch(HttpContext c, [AsParameters] VersionRoute route, ReleaseYanking yanking, Authenticator auth)
    {
        var body = await JsonBody.ReadObjectAsync(c);
        if (!TryReadYanked(body, out var reason))
        {
            await ApiResponse.Error(c, 400, (body.Error is null ? "" : body.Error + ": ")
                + """a release changes only by {"yanked": "the reason"} (or true, without one) to yank it, or {"yanked": false} to take that back""");
            return;
        }
        var who = auth.Identify(c.Request).Principal;
        var outcome = await yanking.SetAsync(who, route.User, route.Index, route.Project, route.Version, reason, c.RequestAborted);
        await Answer.With(c, outcome, message => ApiResponse.Message(c, 200, message));
    }

    /// <param name="reason">Null to take the mark back, "" for a yank without a reason.</param>
    private static bool TryReadYanked(JsonBody.Result body, out string? reason)
    {
        reason = null;
        if (body.Error is not null || body.Object is not { Count: 1 } change || change["yanked"] is not JsonValue value)
        {
            return false;
        }
        if (value.TryGetValue<string>(out var text))
        {
            reason = text.Trim();
            return true;
        }
        if (value.TryGetValue<bool>(out var yes))
        {
            reason = yes ? "" : null;
            return true;
        }
        return false;
    }

    private static async Task Delete(HttpContext c, ProjectRoute route, string? version, ReleaseService releases, Authenticator auth)
    {
        var who = auth.Identify(c.Request).Principal;
        var outcome = await releases.DeleteReleasesAsync(who, route.User, route.Index, route.Project, version,
            force: c.Request.Query.ContainsKey("force"), c.RequestAborted);
        await Answer.With(c, outcome, message => ApiResponse.Message(c, 200, message));
    }
}
