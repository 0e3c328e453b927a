using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Simple;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Endpoints;

/// <summary>devpi's project and version views (<c>/{u}/{i}/{p}</c>, <c>/{u}/{i}/{p}/{v}</c>) and their deletion.</summary>
public static class ProjectEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/{user}/{index}/{project}", GetProject);
        app.MapGet("/{user}/{index}/{project}/{version}", GetVersion);
        app.MapDelete("/{user}/{index}/{project}", (HttpContext c, string user, string index, string project, UserDirectory d, Authenticator a, PackageStore store) =>
            Delete(c, user, index, project, null, d, a, store));
        app.MapDelete("/{user}/{index}/{project}/{version}", (HttpContext c, string user, string index, string project, string version, UserDirectory d, Authenticator a,
            PackageStore store) => Delete(c, user, index, project, version, d, a, store));
    }

    private static Task GetProject(HttpContext c, string user, string index, string project, UserDirectory directory, SimplePages pages, PackageStore store, OutsideUrl url)
    {
        if (ClientKind.IsInstaller(c.Request))
        {
            return SimpleEndpoints.ProjectPage(c, user, index, project, directory, pages);
        }
        if (directory.FindIndex(user, index) is not { } entry)
        {
            return ApiResponse.Error(c, 404, $"index {user}/{index} does not exist");
        }
        var normalized = ProjectName.Normalize(project);
        if (normalized != project || !ClientKind.WantsJson(c.Request))
        {
            var target = ClientKind.WantsJson(c.Request) ? Uri.EscapeDataString(normalized) : $"+simple/{Uri.EscapeDataString(normalized)}/";
            c.Response.Redirect((c.Request.Path.Value!.EndsWith('/') ? "../" : "") + target + c.Request.QueryString);
            return Task.CompletedTask;
        }
        var order = c.Request.Query.ContainsKey("ignore_bases") ? [entry] : directory.ResolutionOrderOf(entry).Where(i => !i.IsMirror).ToList();
        using var reader = store.Read();
        var releases = new List<ReleaseRecord>();
        var files = new List<FileRecord>();
        foreach (var stage in order)
        {
            releases.AddRange(reader.Releases(stage.User, stage.Name, normalized));
            files.AddRange(reader.Files(stage.User, stage.Name, normalized));
        }
        if (releases.Count == 0)
        {
            return ApiResponse.Error(c, 404, $"project {normalized} not found in {entry.Path}");
        }
        return ApiResponse.Ok(c, "projectconfig", IndexViews.ProjectConfig(releases, files, url.For(c.Request)));
    }

    private static Task GetVersion(HttpContext c, string user, string index, string project, string version, UserDirectory directory, PackageStore store, OutsideUrl url)
    {
        if (directory.FindIndex(user, index) is not { } entry)
        {
            return ApiResponse.Error(c, 404, $"index {user}/{index} does not exist");
        }
        var normalized = ProjectName.Normalize(project);
        using var reader = store.Read();
        foreach (var stage in directory.ResolutionOrderOf(entry).Where(i => !i.IsMirror))
        {
            var release = reader.Releases(stage.User, stage.Name, normalized).FirstOrDefault(r => r.Version == version || VersionEquals(r.Version, version));
            if (release is not null)
            {
                return ApiResponse.Ok(c, "versiondata", IndexViews.VersionData(release, reader.Files(stage.User, stage.Name, normalized), url.For(c.Request)));
            }
        }
        return ApiResponse.Error(c, 404, $"version {version} of {normalized} not found in {entry.Path}");
    }

    private static bool VersionEquals(string stored, string requested) =>
        Core.Versions.Pep440Version.TryParse(requested, out var v) && v.Normalized == stored;

    private static async Task Delete(HttpContext c, string user, string index, string project, string? version,
        UserDirectory directory, Authenticator auth, PackageStore store)
    {
        if (await Missing.IndexAnsweredAsync(c, directory, user, index) is not { } entry)
        {
            return;
        }
        var identity = auth.Identify(c.Request);
        var what = version is null ? $"project {project}" : $"{project} {version}";
        if (await Denied.AnsweredAsync(c, Authorization.Check(identity.Principal, new Permission.DeleteReleaseFiles(entry.IndexPath, entry.Config, c.Request.Query.ContainsKey("force")))))
        {
            return;
        }
        var normalized = ProjectName.Normalize(project);
        using var work = await store.BeginAsync(c.RequestAborted);
        var releases = work.Rows.Releases(user, index, normalized).Where(r => version is null || r.Version == version || VersionEquals(r.Version, version)).ToList();
        if (releases.Count == 0)
        {
            await ApiResponse.Error(c, 404, $"{what} not found in {entry.Path}");
            return;
        }
        foreach (var release in releases)
        {
            work.RemoveRelease(user, index, normalized, release.Version);
        }
        DevpiHeaders.StampSerial(c, work.Commit());
        await ApiResponse.Message(c, 200, $"deleted {what} from {entry.Path}");
    }
}
