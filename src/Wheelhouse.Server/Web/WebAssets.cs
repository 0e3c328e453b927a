using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Web;

/// <summary>
/// The pages' static files under <c>/+static/web/</c>: the stylesheet and script (embedded resources), the theme's
/// colours as a stylesheet (no inline style, so the CSP stays strict) and the theme's logo file. Each URL carries its
/// content's hash, so browsers keep them for a year and a new version is fetched at once.
/// </summary>
public sealed class WebAssets
{
    public const string Prefix = "/+static/web/";

    private readonly FrozenDictionary<string, Asset> _assets;

    public sealed record Asset(string ContentType, byte[] Body, string Hash);

    public WebAssets(ServerOptions options)
    {
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        var assembly = typeof(WebAssets).Assembly;
        const string prefix = "Wheelhouse.Web.Static.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var file = name[prefix.Length..];
            assets[file] = Create(file.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
                memory.ToArray());
        }
        var theme = options.Theme;
        assets["theme.css"] = Create("text/css; charset=utf-8", Encoding.UTF8.GetBytes(
            $":root {{ --primary: {theme.PrimaryColor}; --accent: {theme.AccentColor}; }}\n"));
        if (theme.LogoFile is { } logo)
        {
            assets["logo"] = Create(WebTheme.LogoTypes[Path.GetExtension(logo)], File.ReadAllBytes(logo));
        }
        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The versioned URL of <paramref name="name"/> (root-relative).</summary>
    public string Url(string name) => $"{Prefix}{name}?v={_assets[name].Hash}";

    public Asset? Find(string name) => _assets.GetValueOrDefault(name);

    private static Asset Create(string contentType, byte[] body) =>
        new(contentType, body, Convert.ToHexStringLower(SHA256.HashData(body))[..12]);

    /// <summary>Maps <c>GET /+static/web/{name}</c>.</summary>
    public static void Map(WebApplication app) =>
        app.MapGet(Prefix + "{name}", (HttpContext c, string name, WebAssets assets) =>
        {
            if (assets.Find(name) is not { } asset)
            {
                c.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            c.Response.ContentType = asset.ContentType;
            c.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            c.Response.Headers.XContentTypeOptions = "nosniff";
            // A logo may be SVG: opened on its own it must not run script.
            c.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
            c.Response.ContentLength = asset.Body.Length;
            return HttpMethods.IsHead(c.Request.Method) ? Task.CompletedTask : c.Response.Body.WriteAsync(asset.Body, 0, asset.Body.Length);
        });
}
