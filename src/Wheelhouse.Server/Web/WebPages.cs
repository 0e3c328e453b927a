using System.Globalization;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Web.Models;
using Wheelhouse.Server.Web.Session;

namespace Wheelhouse.Server.Web;

/// <summary>
/// The page handlers: each parses its route and query, asks <see cref="WebCatalog"/>, <see cref="ReleasePages"/> or
/// <see cref="WebSearch"/>, and renders the result (a missing user, index, project or version is a 404 page).
/// Rendered pages are kept per serial (<see cref="WebPageCache"/>); search results are always fresh.
/// </summary>
public sealed class WebPages(
    UsersAndIndexes known, WebCatalog catalog, ReleasePages releases, WebSearch search, PageRenderer renderer, WebPageCache cache,
    OutsideUrl outside, WebSessions sessions)
{
    public Task Home(HttpContext c) => Cached(c, "home", (links, viewer) =>
        renderer.Render("home", "Indexes", catalog.Home(links, viewer), viewer, links));

    public Task User(HttpContext c, string user)
    {
        if (known.Find(user) is null)
        {
            return NotFound(c, $"user {user} does not exist");
        }
        return Cached(c, "user", (links, viewer) =>
        {
            var home = catalog.Home(links, viewer);
            return renderer.Render("home", user, home with { Users = home.Users.Where(u => u.Name == user).ToList() }, viewer, links);
        });
    }

    public Task Index(HttpContext c, string user, string index)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return NotFound(c, $"index {user}/{index} does not exist");
        }
        var filter = c.Request.Query["q"].ToString();
        var page = int.TryParse(c.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
        return Cached(c, "index", (links, viewer) =>
            renderer.Render("index", entry.IndexPath.ToString(), catalog.Index(entry, links, viewer, filter, page), viewer, links, entry.IndexPath.ToString()));
    }

    public Task Project(HttpContext c, string user, string index, string project)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return NotFound(c, $"index {user}/{index} does not exist");
        }
        return Cached(c, "project", (links, viewer) => releases.Project(entry, Core.Packages.ProjectName.Normalize(project), links) switch
        {
            Outcome<ProjectPageModel>.Unchanged { Value: var model } =>
                renderer.Render("project", $"{model.Name} in {entry.IndexPath}", model, viewer, links, entry.IndexPath.ToString()),
            _ => null,
        }, $"project {project} not found in {entry.IndexPath}");
    }

    public Task Version(HttpContext c, string user, string index, string project, string version)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return NotFound(c, $"index {user}/{index} does not exist");
        }
        return Cached(c, "version", (links, viewer) => releases.Version(entry, project, version, links, viewer) switch
        {
            Outcome<VersionPageModel>.Unchanged { Value: var model } =>
                renderer.Render("version", $"{model.Name} {model.Version}", model, viewer, links, entry.IndexPath.ToString()),
            _ => null,
        }, $"version {version} of {project} not found in {entry.IndexPath}");
    }

    public Task Search(HttpContext c)
    {
        var scopePath = c.Request.Query["index"].ToString();
        var scope = scopePath.Split('/') is [var u, var i] ? known.FindIndex(u, i) : null;
        if (scopePath.Length > 0 && scope is null)
        {
            return NotFound(c, $"index {scopePath} does not exist; search everywhere or give an index as user/index");
        }
        var query = c.Request.Query["q"].ToString();
        byte[] Render(WebLinks links, WebViewer viewer)
        {
            var model = search.Search(query, scope, links);
            return renderer.Render("search", model.Query.Length == 0 ? "Search" : $"Search: {model.Query}", model, viewer, links,
                scope?.IndexPath.ToString(), model.Query);
        }
        if (query.Trim().Length > WebSearch.MaxQueryLength)
        {
            var viewer = sessions.ViewerOf(c);
            return HtmlPageResponse.WriteAsync(c, 400, Render(new WebLinks(outside.For(c.Request)), viewer), viewer.IsAnonymous);
        }
        // Results change only with a commit: kept per serial like the pages.
        return Cached(c, "search", Render);
    }

    public Task NotFound(HttpContext c, string message)
    {
        var links = new WebLinks(outside.For(c.Request));
        var viewer = sessions.ViewerOf(c);
        return HtmlPageResponse.WriteAsync(c, 404, renderer.Render("notfound", "Not found", new { Message = message }, viewer, links), viewer.IsAnonymous);
    }

    /// <summary>
    /// The page for this URL, query, outside URL and viewer, rendered once per serial; <paramref name="render"/>
    /// returns null when what the URL names does not exist (then <paramref name="missing"/> is the 404's message).
    /// </summary>
    private async Task Cached(HttpContext c, string kind, Func<WebLinks, WebViewer, byte[]?> render, string missing = "")
    {
        var root = outside.For(c.Request);
        var viewer = sessions.ViewerOf(c);
        // A logged-in viewer's page holds its own forms' CSRF token: rendered for it alone, never kept.
        var body = viewer.IsAnonymous
            ? await cache.GetOrRenderAsync(string.Join('\n', kind, c.Request.Path.Value, c.Request.QueryString.Value, root),
                () => Task.FromResult(render(new WebLinks(root), viewer) ?? []))
            : render(new WebLinks(root), viewer) ?? [];
        if (body.Length == 0)
        {
            await NotFound(c, missing);
            return;
        }
        await HtmlPageResponse.WriteAsync(c, 200, body, viewer.IsAnonymous);
    }
}
