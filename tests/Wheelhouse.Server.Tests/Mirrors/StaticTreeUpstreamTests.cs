using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// A static PEP 503 tree served by <c>python3 -m http.server</c>, the simplest "any external index" there is: it
/// ignores Accept and answers HTML; relative links point outside the simple/ folder.
/// </summary>
[Integration]
public sealed class StaticTreeUpstreamTests : IAsyncLifetime
{
    private readonly byte[] _wheel = Support.Distributions.Wheel("static-demo", "1.0");
    private StaticTree _tree = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        _tree = await StaticTree.StartAsync(new Dictionary<string, byte[]> { ["static_demo-1.0-py3-none-any.whl"] = _wheel }, requiresPython: ">=3.8");
        _baseUrl = _tree.BaseUrl;
    }

    public async Task DisposeAsync() => await _tree.DisposeAsync();

    [Fact]
    public async Task Reads_the_tree_and_fetches_a_verified_file()
    {
        using var services = MirrorTestClients.Create();
        var client = services.GetRequiredService<UpstreamSimpleClient>();
        var mirror = MirrorUrl.Parse(_baseUrl + "/simple");
        using var sink = new DirectorySink();

        var list = await client.GetProjectListAsync(mirror, default);
        var page = await client.GetProjectPageAsync(mirror, ProjectName.Parse("Static.Demo"), default);
        var missing = await client.GetProjectPageAsync(mirror, ProjectName.Parse("nothing-here"), default);

        list.Should().BeOfType<UpstreamResult<UpstreamProjectList>.Success>().Which.Value.Projects.Should().Equal("static-demo");
        var link = page.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>().Subject.Value.Links.Single();
        link.Url.AbsoluteUri.Should().Be(_baseUrl + "/packages/static_demo-1.0-py3-none-any.whl");
        link.RequiresPython.Should().Be(">=3.8");
        missing.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.NotFound>();

        var fetched = await services.GetRequiredService<MirrorFileFetcher>().FetchAsync(mirror, link, sink, null, default);

        fetched.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>().Which.Value.Size.Should().Be(_wheel.Length);
        File.ReadAllBytes(sink.StoredPath(link.Sha256!)).Should().Equal(_wheel);
    }
}
