using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// pip (Debian's, in a venv) through a mirror of a static PEP 503 tree served by <c>python3 -m http.server</c>, holding
/// Debian's own wheels from /usr/share/python-wheels. Needs apt packages python3-venv, python3-pip and
/// python3-setuptools-whl (or python3-pip-whl; whichever wheels /usr/share/python-wheels holds).
/// </summary>
[Integration]
public sealed class PipThroughStaticTreeTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private readonly string _work = Directory.CreateTempSubdirectory("wh-pip-static-").FullName;
    private StaticTreeMirror _mirror = null!;
    private string _fileName = "";
    private byte[] _wheel = [];

    private string Project => _fileName.Split('-')[0];

    private string Version => _fileName.Split('-')[1];

    public async Task InitializeAsync()
    {
        // Debian's setuptools wheel (pure Python, installs anywhere); the pip wheel is served beside it as a neighbour.
        var wheels = Directory.GetFiles("/usr/share/python-wheels", "*.whl").Order(StringComparer.Ordinal)
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes, StringComparer.Ordinal);
        wheels.Should().NotBeEmpty("the test serves Debian's wheels from /usr/share/python-wheels (apt: python3-pip-whl, python3-setuptools-whl)");
        _fileName = wheels.Keys.FirstOrDefault(k => k.StartsWith("setuptools-", StringComparison.Ordinal)) ?? wheels.Keys.First();
        _wheel = wheels[_fileName];
        _mirror = await StaticTreeMirror.StartAsync(wheels, mirrorName: "static");
    }

    public async Task DisposeAsync()
    {
        await _mirror.DisposeAsync();
        Directory.Delete(_work, true);
    }

    private TestServer Server => _mirror.Server;

    private StaticTree Tree => _mirror.Tree;

    private async Task<string> VenvAsync()
    {
        var venv = Path.Combine(_work, "venv");
        (await Tool.RunAsync(_work, Python, "-m", "venv", venv)).ShouldSucceed();
        return Path.Combine(venv, "bin");
    }

    private Task<Tool.Result> PipInstallAsync(string bin, string target) =>
        Tool.RunAsync(_work, Path.Combine(bin, "pip"), "install", "--no-cache-dir", "--no-deps", "--target", Path.Combine(_work, target),
            "--index-url", $"{Server.BaseUrl}/ops/stage/+simple/", $"{Project}=={Version}");

    [Fact]
    public async Task Pip_installs_from_the_static_tree_through_the_mirror_and_again_once_the_tree_is_stopped()
    {
        var bin = await VenvAsync();

        var first = (await PipInstallAsync(bin, "first")).ShouldSucceed();
        Tree.Stop();
        var again = (await PipInstallAsync(bin, "again")).ShouldSucceed();

        first.Output.Should().Contain($"Downloading {Server.BaseUrl}/ops/static/", "pip downloads the mirror's local copy (pip quotes + as %2B), never the tree's URL");
        first.Output.Should().NotContain(Tree.BaseUrl);
        again.Output.Should().Contain("Successfully installed");
        Directory.EnumerateDirectories(Path.Combine(_work, "again"), "*.dist-info").Select(Path.GetFileName)
            .Should().Equal($"{Project}-{Version}.dist-info");
        var sha = Distributions.Sha256(_wheel);
        using var stored = await Server.Client.GetAsync($"ops/static/+f/{sha[..3]}/{sha[3..16]}/{_fileName}");
        stored.StatusCode.Should().Be(HttpStatusCode.OK, "the file was stored on the first download");
        (await stored.Content.ReadAsByteArrayAsync()).Should().Equal(_wheel);
    }

    [Fact]
    public async Task The_tree_s_project_page_and_list_are_served_through_the_mirror_with_hashes()
    {
        var sha = Distributions.Sha256(_wheel);

        var page = await Server.Client.GetStringAsync($"ops/stage/+simple/{Project}/");
        var list = await Server.Client.GetStringAsync("ops/static/+simple/");

        page.Should().Contain($"ops/static/+f/{sha[..3]}/{sha[3..16]}/{_fileName}#sha256={sha}");
        list.Should().Contain(Project);
    }
}
