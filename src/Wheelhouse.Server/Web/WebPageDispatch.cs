using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Web;

/// <summary>
/// Sends a browser's GET of <c>/</c>, <c>/{user}</c>, <c>/{user}/{index}</c>, <c>/{user}/{index}/{project}</c> and
/// <c>/{user}/{index}/{project}/{version}</c> to the HTML pages (<see cref="HtmlNegotiation"/>); everything else, and
/// every API client and installer, goes on to devpi's endpoints unchanged. Segments starting with <c>+</c> are devpi's
/// own (<c>+simple</c>, <c>+f</c>, <c>+api</c>, <c>+doc</c>) and never pages.
/// </summary>
public static class WebPageDispatch
{
    public static void Use(WebApplication app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !HtmlNegotiation.WantsHtml(request))
        {
            return next(context);
        }
        var segments = (request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s.StartsWith('+')) || (segments.Length >= 3 && ClientKind.IsInstaller(request)))
        {
            return next(context);
        }
        var pages = context.RequestServices.GetRequiredService<WebPages>();
        return segments switch
        {
            [] => pages.Home(context),
            [var user] => pages.User(context, user),
            [var user, var index] => pages.Index(context, user, index),
            [var user, var index, var project] => pages.Project(context, user, index, project),
            [var user, var index, var project, var version] => pages.Version(context, user, index, project, version),
            _ => next(context),
        };
    });
}
