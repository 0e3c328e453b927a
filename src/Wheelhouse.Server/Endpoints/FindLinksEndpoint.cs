using Wheelhouse.Server.Application;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>GET /{user}/{index}/+findlinks</c> (devpi-findlinks' URL) and its alias <c>/+links</c>: every release file
/// visible through the index on one HTML page, for <c>pip install --no-index --find-links URL</c> (<see cref="FindLinksPage"/>).
/// </summary>
public static class FindLinksEndpoint
{
    public static void Map(WebApplication app)
    {
        foreach (var route in new[] { "/{user}/{index}/+findlinks", "/{user}/{index}/+links" })
        {
            app.MapMethods(route, ["GET", "HEAD"], async (HttpContext c, string user, string index, UsersAndIndexes known, FindLinksPage page) =>
            {
                if (await Missing.IndexAnsweredAsync(c, known, user, index) is not { } entry)
                {
                    return;
                }
                var depth = c.Request.Path.Value!.Count(ch => ch == '/') - 1;
                await RenderedPageResponse.WriteAsync(c, "text/html; charset=utf-8", page.Render(entry, depth));
            });
        }
    }
}
