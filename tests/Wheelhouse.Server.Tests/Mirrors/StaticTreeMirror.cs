using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// A static PEP 503 tree (<see cref="StaticTree"/>) and a server with user <c>ops</c>, its mirror index of the tree
/// (<see cref="Mirror"/>) and <c>ops/stage</c> inheriting from it: the set-up of the tests that run clients through a
/// mirror of a real upstream.
/// </summary>
internal sealed class StaticTreeMirror : IAsyncDisposable
{
    private StaticTreeMirror(StaticTree tree, TestServer server, string mirror) => (Tree, Server, Mirror) = (tree, server, mirror);

    public StaticTree Tree { get; }

    public TestServer Server { get; }

    /// <summary>The mirror index, <c>ops/NAME</c>.</summary>
    public string Mirror { get; }

    public const string Stage = "ops/stage";

    public static async Task<StaticTreeMirror> StartAsync(IReadOnlyDictionary<string, byte[]> wheels, string requiresPython = "",
        IReadOnlyDictionary<string, string>? yanked = null, string mirrorName = "upstream", bool hashes = true)
    {
        var tree = await StaticTree.StartAsync(wheels, requiresPython, yanked, hashes);
        var server = await TestServer.StartAsync();
        await server.CreateUserAsync("ops");
        await server.CreateIndexAsync("ops", mirrorName, $$"""{"type": "mirror", "mirror_url": "{{tree.SimpleUrl}}"}""");
        await server.CreateIndexAsync("ops", "stage", $$"""{"bases": ["ops/{{mirrorName}}"]}""");
        return new StaticTreeMirror(tree, server, "ops/" + mirrorName);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Tree.DisposeAsync();
    }
}
