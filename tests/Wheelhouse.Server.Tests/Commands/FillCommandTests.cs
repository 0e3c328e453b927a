using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Wheelhouse.Server.Tests.Mirrors;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Commands;

/// <summary>
/// <c>wheelhouse-server fill</c> as an operator runs it, against a running server whose mirror's upstream is a static
/// PEP 503 tree served by <c>python3 -m http.server</c>: generated wheels that depend on each other (extras, markers, a
/// project with a wheel per platform) and Debian's real setuptools wheel. Debian's pip resolves; pip in a venv installs
/// with <c>--require-hashes</c> once the upstream is gone. Needs python3-pip and python3-venv.
/// </summary>
[Integration]
public sealed class FillCommandTests : IAsyncLifetime
{
    private const string Linux = "manylinux2014_x86_64";
    private const string Windows = "win_amd64";
    private readonly string _work = Directory.CreateTempSubdirectory("wh-fill-").FullName;
    private readonly Dictionary<string, byte[]> _upstream = new(StringComparer.Ordinal);
    private StaticTree _tree = null!;
    private TestServer _server = null!;
    private string _setuptools = "";

    public async Task InitializeAsync()
    {
        Add(GeneratedWheel.Build("app", "1.0", ["lib>=2", "native", "plugin; extra == \"plugins\"", "oldpy; python_version < \"3.7\"", "core; python_version >= \"3.7\""],
            extras: ["plugins"]));
        Add(GeneratedWheel.Build("lib", "1.0"));
        Add(GeneratedWheel.Build("lib", "2.0", ["core>=1"]));
        Add(GeneratedWheel.Build("core", "1.0"));
        Add(GeneratedWheel.Build("native", "1.0", tag: "py3-none-" + Linux));
        Add(GeneratedWheel.Build("native", "1.0", tag: "py3-none-" + Windows));
        Add(GeneratedWheel.Build("plugin", "1.0"));
        Add(GeneratedWheel.Build("oldpy", "1.0"));
        var real = Directory.GetFiles("/usr/share/python-wheels", "setuptools-*.whl").Single();
        _setuptools = Path.GetFileName(real);
        _upstream[_setuptools] = await File.ReadAllBytesAsync(real);
        _tree = await StaticTree.StartAsync(_upstream);
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "up", $$"""{"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}"}""");
        await _server.CreateIndexAsync("team", "offline", """{"bases": [], "volatile": false}""");
        await _server.CreateIndexAsync("team", "dev", """{"bases": ["team/up"]}""");
        await File.WriteAllTextAsync(Path.Combine(_work, "password"), "team-pw\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _tree.DisposeAsync();
        Directory.Delete(_work, true);
    }

    private void Add((string FileName, byte[] Bytes) wheel) => _upstream[wheel.FileName] = wheel.Bytes;

    private string Hash(string fileName) => "--hash=sha256:" + Distributions.Sha256(_upstream[fileName]);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<Tool.Result> FillAsync(string target, string requirements, params string[] more) =>
        ServerCommand.RunWithAsync(new Dictionary<string, string> { ["XDG_CACHE_HOME"] = Path.Combine(_work, "cache") },
            ["fill", target, "--requirements", requirements, "--server", _server.BaseUrl, "--user", "team", "--password-file", Path.Combine(_work, "password"), .. more]);

    private async Task<List<string>> FilesInAsync(string index)
    {
        var page = await _server.Client.GetStringAsync($"{index}/+findlinks");
        return System.Text.RegularExpressions.Regex.Matches(page, ">([^<>]+\\.whl)</a>").Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>A lock file as pip-compile --generate-hashes writes it, with an -r include.</summary>
    private string LockFile()
    {
        var native = _upstream.Keys.Where(k => k.StartsWith("native-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Write("base.txt", $"setuptools=={_setuptools.Split('-')[1]} \\\n    {Hash(_setuptools)}\n");
        return Write("lock.txt", $"""
            # generated wheels, pinned with their hashes
            app[plugins]==1.0 {Hash("app-1.0-py3-none-any.whl")}
            lib==2.0 \
                {Hash("lib-2.0-py3-none-any.whl")}
            core==1.0 ; python_version >= "3.7" {Hash("core-1.0-py3-none-any.whl")}
            native==1.0 {Hash(native[0])} {Hash(native[1])}
            plugin==1.0 {Hash("plugin-1.0-py3-none-any.whl")}
            -r base.txt

            """);
    }

    [Fact]
    public async Task Fills_a_lock_file_for_two_platforms_then_again_copies_nothing_and_pip_installs_with_hashes_from_it_after_the_upstream_is_gone()
    {
        var lockFile = LockFile();

        var first = (await FillAsync("team/offline", lockFile, "--from", "team/up", "--platform", Linux, "--platform", Windows, "--python-version", "3.11"))
            .ShouldSucceed();

        var expected = new[]
        {
            "app-1.0-py3-none-any.whl", "core-1.0-py3-none-any.whl", "lib-2.0-py3-none-any.whl", $"native-1.0-py3-none-{Linux}.whl",
            $"native-1.0-py3-none-{Windows}.whl", "plugin-1.0-py3-none-any.whl", _setuptools,
        }.Order(StringComparer.Ordinal).ToList();
        (await FilesInAsync("team/offline")).Should().Equal(expected, "transitive (core through lib), the extra, one native wheel per platform; not oldpy (its marker is false)");
        first.Output.Should().Contain($"filled {expected.Count} files into team/offline from team/up (0 already there)");
        (await FilesInAsync("team/up")).Should().Equal(expected, "pip fetched every file through the mirror, which cached it");

        using (var verdata = await _server.SendAsync(HttpMethod.Get, "team/offline/app/1.0"))
        {
            var links = JsonNode.Parse(await verdata.Content.ReadAsStringAsync())!["result"]!["+links"]!.AsArray();
            var log = links.Single()!["log"]!.AsArray().Select(e => ((string)e!["what"]!, (string?)e["src"], (string)e["dst"]!, (string?)e["who"])).ToList();
            log.Should().Equal(("mirror", null, "team/up", null), ("fill", "team/up", "team/offline", "team"));
        }

        var again = (await FillAsync("team/offline", lockFile, "--from", "team/up", "--platform", Linux, "--platform", Windows, "--python-version", "3.11"))
            .ShouldSucceed();
        again.Output.Should().Contain($"nothing new: the {expected.Count} files of the last fill from these pinned requirements are all in team/offline (pip not run");
        var refreshed = (await FillAsync("team/offline", lockFile, "--from", "team/up", "--platform", Linux, "--platform", Windows, "--python-version", "3.11", "--refresh"))
            .ShouldSucceed();
        refreshed.Output.Should().Contain($"nothing new: all {expected.Count} files are already in team/offline");

        _tree.Stop();
        var venv = Path.Combine(_work, "venv");
        (await Tool.RunAsync(_work, "/usr/bin/python3", "-m", "venv", venv)).ShouldSucceed();
        var install = (await Tool.RunAsync(_work, Path.Combine(venv, "bin", "pip"), "install", "--no-cache-dir", "--require-hashes",
            "--index-url", $"{_server.BaseUrl}/team/offline/+simple/", "-r", lockFile)).ShouldSucceed();
        install.Output.Should().Contain("Successfully installed").And.Contain("app-1.0").And.Contain("native-1.0").And.Contain("plugin-1.0");
    }

    [Fact]
    public async Task Unmet_requirements_are_reported_in_pip_s_words_and_nothing_is_filled()
    {
        var conflict = Write("conflict.txt", "app==1.0\nlib==1.0\n");
        var badHash = Write("bad-hash.txt", $"core==1.0 --hash=sha256:{new string('0', 64)}\n");
        var missing = Write("missing.txt", "no-such-project\n");

        var conflicting = await FillAsync("team/dev", conflict, "--platform", Linux, "--python-version", "3.11");
        var refused = await FillAsync("team/dev", badHash);
        var absent = await FillAsync("team/dev", missing);

        conflicting.ExitCode.Should().Be(1, conflicting.Output);
        conflicting.Output.Should().Contain($"the requirements cannot be met for platform {Linux}, Python 3.11; pip says:")
            .And.Contain("ResolutionImpossible").And.Contain("lib").And.Contain("nothing was filled into team/dev");
        refused.ExitCode.Should().Be(1, refused.Output);
        refused.Output.Should().Contain("DO NOT MATCH THE HASHES").And.Contain("nothing was filled into team/dev");
        absent.ExitCode.Should().Be(1, absent.Output);
        absent.Output.Should().Contain("No matching distribution found for no-such-project");
        using var offline = await _server.Client.GetAsync("team/dev/+simple/");
        (await offline.Content.ReadAsStringAsync()).Should().NotContain("<a", "team/dev itself holds nothing: what the mirror cached is the mirror's");
    }

    [Fact]
    public async Task Unpinned_requirements_fill_through_the_one_mirror_among_the_bases_and_a_second_run_says_nothing_is_new()
    {
        var requirements = Write("loose.txt", "app[plugins]\n");

        var first = (await FillAsync("team/dev", requirements)).ShouldSucceed();
        var second = (await FillAsync("team/dev", requirements)).ShouldSucceed();

        first.Output.Should().Contain("pip download through team/up").And.Contain("filled 5 files into team/dev from team/up");
        second.Output.Should().Contain("nothing new: all 5 files are already in team/dev");
        using var page = await _server.Client.GetAsync("team/dev/+simple/lib/");
        (await page.Content.ReadAsStringAsync()).Should().Contain("team/dev/+f/", "lib 2.0 is now team/dev's own copy");
    }

    [Fact]
    public async Task Bad_arguments_and_foreign_sources_are_refused_before_anything_runs()
    {
        var foreign = Write("foreign.txt", "--extra-index-url https://example.org/simple\napp\n");

        var usage = await ServerCommand.RunAsync("fill", "team/dev", "--python-version", "three");
        var refused = await FillAsync("team/dev", foreign);
        var anonymous = await ServerCommand.RunAsync("fill", "team/dev", "--requirements", Write("ok.txt", "core\n"), "--server", _server.BaseUrl);
        var noPython = await FillAsync("team/dev", Write("core.txt", "core\n"), "--python", Path.Combine(_work, "no-such-python3"));

        usage.ExitCode.Should().Be(2, usage.Output);
        usage.Output.Should().Contain("fill needs --requirements FILE").And.Contain("invalid --python-version 'three'");
        refused.ExitCode.Should().Be(1, refused.Output);
        refused.Output.Should().Contain("foreign.txt:1: --extra-index-url would let pip download from elsewhere than the mirror");
        anonymous.ExitCode.Should().Be(1, anonymous.Output);
        anonymous.Output.Should().Contain("authentication required to fill team/dev").And.Contain("give --user and --password-file");
        noPython.ExitCode.Should().Be(69, noPython.Output);
        noPython.Output.Should().Contain($"cannot run {Path.Combine(_work, "no-such-python3")}").And.Contain("fill needs pip")
            .And.Contain("nothing was filled into team/dev");
        (await FilesInAsync("team/dev")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_server_older_than_the_client_that_does_not_know_prefetch_gets_the_fill_without_it()
    {
        var bodies = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var older = await UpstreamStub.StartAsync(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            bodies.Enqueue(body);
            context.Response.ContentType = "application/json";
            if (body.Contains("\"prefetch\"", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"message": "unknown fill key 'prefetch'; keys are from, files, dry_run"}""");
                return;
            }
            await context.Response.WriteAsync("""{"type": "fill", "result": {"copied": [], "present": []}}""");
        });

        // pip is not there, so the fill stops after its first request: what matters is that request.
        var result = await ServerCommand.RunWithAsync(new Dictionary<string, string> { ["XDG_CACHE_HOME"] = Path.Combine(_work, "cache") },
            ["fill", "team/offline", "--requirements", LockFile(), "--from", "team/up", "--server", older.BaseUrl, "--user", "team",
                "--password-file", Path.Combine(_work, "password"), "--python", Path.Combine(_work, "no-such-python3")]);

        result.Output.Should().NotContain("unknown fill key");
        result.ExitCode.Should().Be(69, result.Output);
        bodies.Should().HaveCount(2);
        bodies.First().Should().Contain("\"prefetch\"", "the client asks for the prefetch first");
        bodies.Last().Should().NotContain("prefetch", "and asks again without it when the server does not know it");
    }
}
