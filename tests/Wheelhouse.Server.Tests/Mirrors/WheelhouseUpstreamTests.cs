using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>Another Wheelhouse as the upstream: its PEP 691 and PEP 503 pages read back, its file fetched and verified.</summary>
[Integration]
public sealed class WheelhouseUpstreamTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private readonly byte[] _wheel = Distributions.Wheel("Mirror_Me", "1.0", requiresPython: ">=3.8,<4");

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "dev");
        var request = new HttpRequestMessage(HttpMethod.Post, "team/dev/")
        {
            Content = Distributions.Form("Mirror_Me", "1.0", _wheel, Distributions.WheelName("Mirror_Me", "1.0")),
        };
        request.Headers.Authorization = TestServer.Basic("team", "team-pw");
        using var response = await _server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Reads_a_wheelhouse_index_and_fetches_its_file()
    {
        using var services = MirrorTestClients.Create();
        using var sink = new DirectorySink();
        var mirror = MirrorUrl.Parse(_server.BaseUrl.Replace("http://", "http://team:team-pw@") + "/team/dev/+simple/");

        var json = await services.GetRequiredService<UpstreamSimpleClient>().GetProjectPageAsync(mirror, ProjectName.Parse("mirror.me"), default);
        var list = await services.GetRequiredService<UpstreamSimpleClient>().GetProjectListAsync(mirror, default);

        var link = json.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>().Subject.Value.Links.Single();
        link.Filename.Should().Be(Distributions.WheelName("Mirror_Me", "1.0"));
        link.Sha256.Should().Be(Distributions.Sha256(_wheel));
        link.RequiresPython.Should().Be(">=3.8,<4");
        link.Url.AbsoluteUri.Should().StartWith(_server.BaseUrl + "/team/dev/+f/");
        list.Should().BeOfType<UpstreamResult<UpstreamProjectList>.Success>().Which.Value.Projects
            .Select(ProjectName.Normalize).Should().Equal("mirror-me");

        using var htmlRequest = new HttpRequestMessage(HttpMethod.Get, "team/dev/+simple/mirror-me/");
        htmlRequest.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var htmlResponse = await _server.Client.SendAsync(htmlRequest);
        var (html, error) = SimpleHtmlParser.ParseProjectPage(await htmlResponse.Content.ReadAsStringAsync(),
            new Uri(_server.BaseUrl + "/team/dev/+simple/mirror-me/"), "mirror-me");
        error.Should().BeNull();
        html!.Links.Single().Should().BeEquivalentTo(link with { CoreMetadata = html.Links.Single().CoreMetadata });

        var fetched = await services.GetRequiredService<MirrorFileFetcher>().FetchAsync(mirror, link, sink, null, default);

        fetched.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>().Which.Value.Sha256.Should().Be(Distributions.Sha256(_wheel));
        File.ReadAllBytes(sink.StoredPath(link.Sha256!)).Should().Equal(_wheel);
    }
}
