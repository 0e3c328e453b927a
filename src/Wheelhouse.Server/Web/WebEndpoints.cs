namespace Wheelhouse.Server.Web;

/// <summary>The web interface's own URLs (<c>/+search</c>, <c>/+static/web/</c>) and its services.</summary>
public static class WebEndpoints
{
    public static void AddWebPages(this IServiceCollection services)
    {
        services.AddSingleton<WebAssets>();
        services.AddSingleton<PageRenderer>();
        services.AddSingleton<WebPageCache>();
        services.AddSingleton<DescriptionRenderer>();
        services.AddSingleton<WebCatalog>();
        services.AddSingleton<ReleasePages>();
        services.AddSingleton<WebSearch>();
        services.AddSingleton<WebPages>();
    }

    public static void Map(WebApplication app)
    {
        app.MapGet("/+search", (HttpContext c, WebPages pages) => pages.Search(c));
        WebAssets.Map(app);
    }
}
