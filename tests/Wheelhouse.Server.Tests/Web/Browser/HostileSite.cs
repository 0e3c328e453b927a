using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Wheelhouse.Server.Tests.Web.Browser;

/// <summary>
/// Another site on loopback: serves the pages a test gives it (a forged form, hostile HTML without any protection) and
/// records every request that reaches it, so a test can tell whether a page under test ran anything that called out.
/// </summary>
public sealed class HostileSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages = new(StringComparer.Ordinal);

    private HostileSite(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:PORT, no trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every path (with query) requested, in order.</summary>
    public ConcurrentQueue<string> Hits { get; } = new();

    public static async Task<HostileSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var site = new HostileSite(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            site.Hits.Enqueue(path + context.Request.QueryString);
            context.Response.Headers.AccessControlAllowOrigin = "*";
            if (site._pages.TryGetValue(path, out var html))
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(html);
                return;
            }
            context.Response.StatusCode = 204;
        });
        await app.StartAsync();
        site.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return site;
    }

    public void Serve(string path, string html) => _pages[path] = html;

    /// <summary>The requests that were not for a page it serves: a canary's calls.</summary>
    public IReadOnlyList<string> CanaryHits => Hits.Where(h => !_pages.ContainsKey(h.Split('?')[0])).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
