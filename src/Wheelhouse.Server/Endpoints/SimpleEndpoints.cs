using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Endpoints;

/// <summary>The simple repository API, PEP 503 HTML and PEP 691 JSON (spec "Simple API"), from the page cache.</summary>
public static class SimpleEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapMethods("/{user}/{index}/+simple", ["GET", "HEAD"], async (HttpContext c, string user, string index, UsersAndIndexes known, SimplePages pages,
            MirrorProjectListService mirrorLists) =>
        {
            if (await Missing.IndexAnsweredAsync(c, known, user, index) is not { } entry)
            {
                return;
            }
            var format = SimpleNegotiation.Choose(c.Request);
            if (format == SimpleFormat.Unacceptable)
            {
                await NotAcceptable(c);
                return;
            }
            var trailingSlash = c.Request.Path.Value!.EndsWith('/');
            if (!entry.IsMirror || entry.Config.MirrorNoProjectList)
            {
                await Write(c, format, pages.ProjectList(entry, format, trailingSlash));
                return;
            }
            // A mirror's own list is its upstream's (cached for mirror_cache_expiry); stage lists never include mirrors.
            switch (await mirrorLists.GetAsync(entry.IndexPath, entry.Config, c.RequestAborted))
            {
                case MirrorProjectListAnswer.List list:
                    if (list.Warning is { } warning)
                    {
                        c.Response.Headers.Warning = warning;
                    }
                    await Write(c, format, MirrorProjectListPages.Render(list.Value, format, trailingSlash));
                    return;
                case MirrorProjectListAnswer.Unavailable u:
                    await ApiResponse.Error(c, 502, u.Message);
                    return;
            }
        });

        app.MapMethods("/{user}/{index}/+simple/{project}", ["GET", "HEAD"], (HttpContext c, string user, string index, string project, UsersAndIndexes known, SimplePages pages) =>
            ProjectPage(c, user, index, project, known, pages));

        // Drops the cached upstream pages of every mirror in the order; stage pages follow the serial by themselves.
        app.MapPost("/{user}/{index}/+simple/{project}/refresh", (HttpContext c, string user, string index, string project, UsersAndIndexes known, MirrorPageService mirrors) =>
        {
            if (known.FindIndex(user, index) is not { } entry)
            {
                return ApiResponse.Error(c, 404, $"index {user}/{index} does not exist");
            }
            if (ProjectName.TryParse(project, out var name))
            {
                foreach (var mirror in known.ResolutionOrderOf(entry).Where(i => i.IsMirror))
                {
                    mirrors.Refresh(mirror.IndexPath, name);
                }
            }
            // Relative, so it holds behind any prefix: from .../+simple/p/refresh (as devpi sends it) one level up.
            var up = c.Request.Path.Value!.EndsWith('/') ? "../../" : "../";
            c.Response.Redirect($"{up}{Uri.EscapeDataString(ProjectName.Normalize(project))}/");
            return Task.CompletedTask;
        });
    }

    /// <summary>A project page; also answered on <c>/{u}/{i}/{p}/</c> for installers.</summary>
    public static async Task ProjectPage(HttpContext c, string user, string index, string project, UsersAndIndexes known, SimplePages pages)
    {
        if (await Missing.IndexAnsweredAsync(c, known, user, index) is not { } entry)
        {
            return;
        }
        var normalized = ProjectName.Normalize(project);
        if (normalized != project && !ClientKind.IsInstaller(c.Request))
        {
            var path = c.Request.Path.Value!;
            var trailing = path.EndsWith('/');
            c.Response.Redirect((trailing ? "../" : "") + Uri.EscapeDataString(normalized) + (trailing ? "/" : "") + c.Request.QueryString);
            return;
        }
        var format = SimpleNegotiation.Choose(c.Request);
        if (format == SimpleFormat.Unacceptable)
        {
            await NotAcceptable(c);
            return;
        }
        var page = await pages.ProjectPageAsync(entry, normalized, format, Depth(c.Request.Path.Value!), c.RequestAborted);
        if (page.Body is null)
        {
            await (page.Unavailable is { } message
                ? ApiResponse.Error(c, 502, message)
                : ApiResponse.Error(c, 404, $"project {normalized} not found in {entry.IndexPath} or its bases"));
            return;
        }
        if (page.Warning is { } warning)
        {
            c.Response.Headers.Warning = warning;
        }
        await Write(c, format, page.Body);
    }

    /// <summary>How many <c>../</c> lead from the requested page's known back to the server root.</summary>
    private static int Depth(string path)
    {
        var slashes = 0;
        foreach (var ch in path)
        {
            if (ch == '/')
            {
                slashes++;
            }
        }
        return slashes - 1;
    }

    private static Task Write(HttpContext c, SimpleFormat format, byte[] body) =>
        RenderedPageResponse.WriteAsync(c, SimpleNegotiation.ContentType(format), body);

    private static Task NotAcceptable(HttpContext c)
    {
        c.Response.Headers.Vary = "Accept";
        return ApiResponse.Error(c, 406, $"none of the requested media types is available; use text/html or {SimpleNegotiation.JsonType}");
    }
}
