using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// Two Wheelhouse servers on loopback: the upstream's team/dev is mirrored by the server's ops/up, which ops/stage
/// inherits from. The upstream can be stopped mid-test to prove what the mirror kept.
/// </summary>
internal sealed class MirrorPair : IAsyncDisposable
{
    private bool _upstreamStopped;

    private MirrorPair(TestServer upstream, TestServer server) => (Upstream, Server) = (upstream, server);

    public TestServer Upstream { get; }
    public TestServer Server { get; }

    /// <param name="configureServer">Changes to the mirroring server's options (e.g. its mirror proxy).</param>
    public static async Task<MirrorPair> StartAsync(Func<Wheelhouse.Server.Configuration.ServerOptions, Wheelhouse.Server.Configuration.ServerOptions>? configureServer = null)
    {
        var upstream = await TestServer.StartAsync();
        await upstream.CreateUserAsync("team");
        await upstream.CreateIndexAsync("team", "dev");
        var server = await TestServer.StartAsync(configureServer);
        await server.CreateUserAsync("ops");
        await server.CreateIndexAsync("ops", "up", $$"""{"type": "mirror", "mirror_url": "{{upstream.BaseUrl}}/team/dev/+simple/"}""");
        await server.CreateIndexAsync("ops", "stage", """{"bases": ["ops/up"]}""");
        return new MirrorPair(upstream, server);
    }

    public async Task StopUpstreamAsync()
    {
        await Upstream.DisposeAsync();
        _upstreamStopped = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (!_upstreamStopped)
        {
            await Upstream.DisposeAsync();
        }
    }
}
