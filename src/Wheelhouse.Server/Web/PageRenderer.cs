using System.Collections.Frozen;
using System.Text;
using Scriban;
using Scriban.Runtime;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Web.Models;
using Wheelhouse.Server.Web.Session;

namespace Wheelhouse.Server.Web;

/// <summary>
/// Renders a page: its Scriban template (an embedded resource under Web/Templates) with the page's model, inside the
/// layout with the theme, the viewer and the assets' versioned URLs. Every value is escaped (<see cref="HtmlTemplateContext"/>).
/// </summary>
public sealed class PageRenderer
{
    private readonly FrozenDictionary<string, Template> _templates;
    private readonly WebTheme _theme;
    private readonly WebAssets _assets;

    public PageRenderer(ServerOptions options, WebAssets assets)
    {
        _theme = options.Theme;
        _assets = assets;
        var assembly = typeof(PageRenderer).Assembly;
        const string prefix = "Wheelhouse.Web.Templates.";
        _templates = assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToFrozenDictionary(
            n => n[prefix.Length..^".html".Length],
            n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                var template = Template.Parse(reader.ReadToEnd(), n);
                return template.HasErrors
                    ? throw new InvalidOperationException($"web template {n}: {string.Join("; ", template.Messages)}")
                    : template;
            },
            StringComparer.Ordinal);
    }

    /// <summary>The page <paramref name="name"/> (a template) with <paramref name="model"/> as <c>page</c>, in the layout.</summary>
    /// <param name="searchScope">The index the header's search box searches (user/index), or null for everywhere.</param>
    public byte[] Render(string name, string title, object model, WebViewer viewer, WebLinks links, string? searchScope = null, string query = "")
    {
        var globals = new ScriptObject
        {
            ["page"] = model,
            ["title"] = title,
            ["theme"] = _theme,
            ["session"] = new HtmlString(SessionPage.LogoutForm(viewer, links.Root)), // log in, or who is logged in and log out
            ["home_url"] = links.Home,
            ["search_url"] = links.Root + "/+search",
            ["css_url"] = links.Root + _assets.Url("web.css"),
            ["theme_url"] = links.Root + _assets.Url("theme.css"),
            ["js_url"] = links.Root + _assets.Url("web.js"),
            ["logo_url"] = _theme.LogoUrl?.ToString() ?? (_theme.LogoFile is null ? null : links.Root + _assets.Url("logo")),
            ["search_scope"] = searchScope,
            ["search_query"] = query,
        };
        globals["howto"] = model is IHowToPage { HowTo.Count: > 0 } ? new HtmlString(Run(_templates["howto"], globals)) : HtmlString.Empty;
        globals["content"] = new HtmlString(Run(_templates[name], globals));
        return Encoding.UTF8.GetBytes(Run(_templates["layout"], globals));
    }

    private static string Run(Template template, ScriptObject globals)
    {
        var context = new HtmlTemplateContext { StrictVariables = true, EnableRelaxedMemberAccess = false, LoopLimit = 0 };
        context.PushGlobal(globals);
        return template.Render(context);
    }
}
