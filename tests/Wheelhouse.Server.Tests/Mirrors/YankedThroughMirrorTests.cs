using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// PEP 592 through a mirror: a file its upstream marks yanked is marked on the mirror's pages and on those of the
/// indexes inheriting from it, so pip skips it unless it is pinned with ==, as it would against the upstream.
/// </summary>
[Integration]
public sealed class YankedThroughMirrorTests : IAsyncLifetime
{
    private const string Reason = "broken build, use 1.0";
    private readonly string _work = Directory.CreateTempSubdirectory("wh-yanked-").FullName;
    private StaticTreeMirror _mirror = null!;

    private TestServer Server => _mirror.Server;

    public async Task InitializeAsync()
    {
        var wheels = new[] { "1.0", "2.0", "2.1" }.ToDictionary(v => Distributions.WheelName("yankdemo", v), v => Distributions.Wheel("yankdemo", v));
        _mirror = await StaticTreeMirror.StartAsync(wheels, yanked: new Dictionary<string, string>
        {
            [Distributions.WheelName("yankdemo", "2.0")] = Reason,
            [Distributions.WheelName("yankdemo", "2.1")] = "",
        });
    }

    public async Task DisposeAsync()
    {
        await _mirror.DisposeAsync();
        Directory.Delete(_work, true);
    }

    private Task<Tool.Result> PipDownloadAsync(string target, string requirement) =>
        Tool.PipDownloadAsync(_work, $"{Server.BaseUrl}/ops/stage/+simple/", Path.Combine(_work, target), requirement);

    [Theory]
    [InlineData("ops/upstream")]
    [InlineData("ops/stage")]
    public async Task Both_formats_mark_the_yanked_files_of_the_mirror_and_of_an_index_inheriting_from_it(string index)
    {
        var html = await Server.Client.GetStringAsync($"{index}/+simple/yankdemo/");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{index}/+simple/yankdemo/");
        request.Headers.Accept.ParseAdd("application/vnd.pypi.simple.v1+json");
        using var response = await Server.Client.SendAsync(request);
        var files = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["files"]!.AsArray()
            .ToDictionary(f => (string)f!["filename"]!, f => f!["yanked"]?.ToJsonString());

        var links = html.Split('\n').Where(l => l.Contains("<a ", StringComparison.Ordinal)).ToDictionary(l => l[(l.LastIndexOf("\">", StringComparison.Ordinal) + 2)..l.IndexOf("</a>", StringComparison.Ordinal)]);
        links[Distributions.WheelName("yankdemo", "1.0")].Should().NotContain("data-yanked");
        links[Distributions.WheelName("yankdemo", "2.0")].Should().Contain($" data-yanked=\"{Reason}\"");
        links[Distributions.WheelName("yankdemo", "2.1")].Should().Contain(" data-yanked=\"\"");
        files.Should().Equal(new Dictionary<string, string?>
        {
            [Distributions.WheelName("yankdemo", "1.0")] = null,
            [Distributions.WheelName("yankdemo", "2.0")] = $"\"{Reason}\"",
            [Distributions.WheelName("yankdemo", "2.1")] = "true",
        });
    }

    [Fact]
    public async Task Pip_passes_over_the_yanked_releases_unless_one_is_pinned()
    {
        var latest = (await PipDownloadAsync("latest", "yankdemo")).ShouldSucceed();
        var pinned = (await PipDownloadAsync("pinned", "yankdemo==2.0")).ShouldSucceed();

        Directory.GetFiles(Path.Combine(_work, "latest")).Select(Path.GetFileName).Should().Equal([Distributions.WheelName("yankdemo", "1.0")], latest.Output);
        Directory.GetFiles(Path.Combine(_work, "pinned")).Select(Path.GetFileName).Should().Equal(Distributions.WheelName("yankdemo", "2.0"));
        pinned.Output.Should().Contain("yanked").And.Contain(Reason, "pip shows the upstream's reason");
    }
}
