using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests;

/// <summary>
/// End to end with Debian's real clients against the server as a separate process: twine uploads real wheels and an
/// sdist and wheel built by python3 -m build; pip in a venv installs through an index that inherits them from a base.
/// Needs apt packages twine, python3-venv, python3-build, python3-setuptools, python3-wheel, python3-pip.
/// </summary>
[Integration]
public sealed class ClientTests : IAsyncLifetime, IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string _work = Directory.CreateTempSubdirectory("wh-clients-").FullName;
    private ServerProcess _server = null!;
    private TestServer.ClientHelper _http = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(Path.Combine(_work, "data"));
        _http = new TestServer.ClientHelper(_server.BaseUrl);
        await _http.CreateUserAsync("ci");
        await _http.CreateUserAsync("intruder");
        await _http.CreateIndexAsync("ci", "base", """{"volatile": false}""");
        await _http.CreateIndexAsync("ci", "dev", """{"bases": "ci/base"}""");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_work, true);
    }

    public void Dispose() => _http.Dispose();

    private Task<Tool.Result> TwineAsync(string index, string user, string password, params string[] files) =>
        Tool.RunAsync(_work, "twine", ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", $"{_server.BaseUrl}/{index}/",
            "-u", user, "-p", password, .. files]);

    private Task<string[]> BuildProjectAsync(string name, string version, string body) =>
        PythonProject.BuildAsync(_work, name, name, version, body);

    [Fact]
    public async Task Twine_uploads_real_and_built_distributions_and_pip_installs_them_through_an_inheriting_index()
    {
        var realWheel = Directory.GetFiles("/usr/share/python-wheels", "setuptools-*.whl").First();
        (await TwineAsync("ci/base", "ci", "ci-pw", realWheel)).ShouldSucceed();

        var name = "whtest_" + Guid.NewGuid().ToString("N")[..10];
        var built = await BuildProjectAsync(name, "1.0.0", "ANSWER = 42\n");
        built.Should().HaveCount(2).And.Contain(f => f.EndsWith(".tar.gz")).And.Contain(f => f.EndsWith(".whl"));
        (await TwineAsync("ci/base", "ci", "ci-pw", built)).ShouldSucceed();

        var venv = Path.Combine(_work, "venv");
        (await Tool.RunAsync(_work, Python, "-m", "venv", venv)).ShouldSucceed();
        var pip = Path.Combine(venv, "bin", "pip");
        (await Tool.RunAsync(_work, pip, "install", "--no-cache-dir", "--index-url", $"{_server.BaseUrl}/ci/dev/+simple/", name)).ShouldSucceed();
        var run = (await Tool.RunAsync(_work, Path.Combine(venv, "bin", "python"), "-c", $"import {name}; print({name}.ANSWER)")).ShouldSucceed();
        run.Output.Should().Contain("42");

        // The sdist is listed through the inheriting index and downloads with the hash the link promises.
        var sdist = built.Single(f => f.EndsWith(".tar.gz"));
        var page = await _http.Client.GetStringAsync($"ci/dev/+simple/{name.Replace('_', '-')}/");
        var sha = Distributions.Sha256(await File.ReadAllBytesAsync(sdist));
        page.Should().Contain(Path.GetFileName(sdist) + "#sha256=" + sha);
        var href = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"#]+" + System.Text.RegularExpressions.Regex.Escape(Path.GetFileName(sdist)) + ")#").Groups[1].Value;
        var download = await _http.Client.GetByteArrayAsync(new Uri(new Uri($"{_server.BaseUrl}/ci/dev/+simple/{name.Replace('_', '-')}/"), href));
        Distributions.Sha256(download).Should().Be(sha);

        // A real wheel from Debian, inherited through the base, installs as well.
        var setuptoolsVersion = Path.GetFileName(realWheel).Split('-')[1];
        (await Tool.RunAsync(_work, pip, "install", "--no-cache-dir", "--force-reinstall", "--no-deps", "--index-url", $"{_server.BaseUrl}/ci/dev/+simple/",
            $"setuptools=={setuptoolsVersion}")).ShouldSucceed();
    }

    [Fact]
    public async Task Non_volatile_index_refuses_an_overwrite_through_twine()
    {
        var name = "whimm_" + Guid.NewGuid().ToString("N")[..10];
        var first = await BuildProjectAsync(name, "1.0", "VALUE = 1\n");
        (await TwineAsync("ci/base", "ci", "ci-pw", first.Where(f => f.EndsWith(".whl")).ToArray())).ShouldSucceed();
        var second = await BuildProjectAsync(name, "1.0", "VALUE = 2\n");
        var refused = await TwineAsync("ci/base", "ci", "ci-pw", second.Where(f => f.EndsWith(".whl")).ToArray());
        refused.ExitCode.Should().NotBe(0);
        // twine wraps long messages; compare with the white space collapsed.
        string.Join(' ', refused.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            .Should().Contain("409").And.Contain("already exists in non-volatile index");
        var page = await _http.Client.GetStringAsync($"ci/base/+simple/{name.Replace('_', '-')}/");
        page.Should().Contain(Distributions.Sha256(await File.ReadAllBytesAsync(first.Single(f => f.EndsWith(".whl")))));
    }

    [Fact]
    public async Task Upload_without_the_right_gets_401_or_403_and_stores_nothing()
    {
        var name = "whdeny_" + Guid.NewGuid().ToString("N")[..10];
        var wheel = (await BuildProjectAsync(name, "1.0", "")).Where(f => f.EndsWith(".whl")).ToArray();
        var forbidden = await TwineAsync("ci/base", "intruder", "intruder-pw", wheel);
        forbidden.ExitCode.Should().NotBe(0);
        forbidden.Output.Should().Contain("403");
        var unauthorized = await TwineAsync("ci/base", "ci", "wrong-password", wheel);
        unauthorized.ExitCode.Should().NotBe(0);
        unauthorized.Output.Should().Contain("401");
        using var page = await _http.Client.GetAsync($"ci/base/+simple/{name.Replace('_', '-')}/");
        page.StatusCode.Should().Be(HttpStatusCode.NotFound);
        JsonNode.Parse(await _http.Client.GetStringAsync("ci/base"))!["result"]!["projects"]!.AsArray()
            .Select(p => p!.GetValue<string>()).Should().NotContain(p => p.Contains("whdeny", StringComparison.OrdinalIgnoreCase));
    }
}
