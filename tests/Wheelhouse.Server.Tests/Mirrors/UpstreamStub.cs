using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>A real Kestrel upstream on 127.0.0.1 whose answers each test scripts; it counts requests per path.</summary>
public sealed class UpstreamStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    private UpstreamStub(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:PORT (no trailing slash).</summary>
    public string BaseUrl { get; }

    public ConcurrentQueue<HttpRequestSnapshot> Requests { get; } = new();

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public int TotalHits => _hits.Values.Sum();

    public static async Task<UpstreamStub> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        UpstreamStub? stub = null;
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "";
            stub!._hits.AddOrUpdate(path, 1, (_, n) => n + 1);
            stub.Requests.Enqueue(new HttpRequestSnapshot(path, context.Request.Headers.Accept.ToString(), context.Request.Headers.Authorization.ToString()));
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new UpstreamStub(app, address.TrimEnd('/'));
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

public sealed record HttpRequestSnapshot(string Path, string Accept, string Authorization);

/// <summary>The mirror client wired exactly as the server wires it, with short retry delays so failures show quickly.</summary>
public static class MirrorTestClients
{
    /// <summary>
    /// Retries come at once, but an attempt has seconds: an upstream that answers is never cut short by a machine busy
    /// with other tests, so the requests a test counts are the ones it made.
    /// </summary>
    public static readonly MirrorHttpOptions FastOptions = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(30),
        MaxRetries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        BreakerMinimumThroughput = 100,
        BreakerSamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(30),
        ReadIdleTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>For the tests of an upstream that never answers, or stops half-way: it is given up on within seconds.</summary>
    public static readonly MirrorHttpOptions TimeoutOptions = FastOptions with
    {
        AttemptTimeout = TimeSpan.FromMilliseconds(500),
        TotalTimeout = TimeSpan.FromSeconds(3),
        ReadIdleTimeout = TimeSpan.FromMilliseconds(700),
    };

    public static ServiceProvider Create(MirrorHttpOptions? options = null) =>
        new ServiceCollection()
            .AddLogging()
            .AddMirrorUpstream(options ?? FastOptions)
            .BuildServiceProvider();
}
