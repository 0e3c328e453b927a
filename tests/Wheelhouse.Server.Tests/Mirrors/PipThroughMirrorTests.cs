using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// pip (Debian's, in a venv from /usr/bin/python3) through a mirror index of a second Wheelhouse on loopback.
/// Needs apt packages python3-venv and python3-pip.
/// </summary>
[Integration]
public sealed class PipThroughMirrorTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private readonly string _work = Directory.CreateTempSubdirectory("wh-pip-mirror-").FullName;
    private readonly string _name = "whmirror_" + Guid.NewGuid().ToString("N")[..10];
    private MirrorPair _pair = null!;

    private string Project => _name.Replace('_', '-');

    public async Task InitializeAsync()
    {
        _pair = await MirrorPair.StartAsync();
        await _pair.Upstream.UploadWheelAsync("team/dev", "team", _name, "1.0");
    }

    public async Task DisposeAsync()
    {
        await _pair.DisposeAsync();
        Directory.Delete(_work, true);
    }

    private async Task<string> VenvAsync()
    {
        var venv = Path.Combine(_work, "venv-" + Guid.NewGuid().ToString("N")[..6]);
        (await Tool.RunAsync(_work, Python, "-m", "venv", venv)).ShouldSucceed();
        return Path.Combine(venv, "bin");
    }

    private Task<Tool.Result> PipAsync(string bin, params string[] args) =>
        Tool.RunAsync(_work, Path.Combine(bin, "pip"), [.. args, "--index-url", $"{_pair.Server.BaseUrl}/ops/stage/+simple/"]);

    [Fact]
    public async Task Pip_installs_through_the_mirror_and_again_after_the_upstream_is_stopped()
    {
        var bin = await VenvAsync();
        (await PipAsync(bin, "install", "--no-cache-dir", _name)).ShouldSucceed();
        (await Tool.RunAsync(_work, Path.Combine(bin, "python"), "-I", "-c", $"import {_name}; print({_name}.VALUE)")).ShouldSucceed()
            .Output.Should().Contain("1");

        await _pair.StopUpstreamAsync();
        var fresh = await VenvAsync();

        var again = (await PipAsync(fresh, "install", "--no-cache-dir", _name)).ShouldSucceed();
        again.Output.Should().Contain("Successfully installed");
    }

    [Fact]
    public async Task A_private_release_of_the_same_name_hides_the_mirror_until_whitelisted()
    {
        await _pair.Server.UploadWheelAsync("ops/stage", "ops", _name, "2.0");
        var bin = await VenvAsync();

        var blocked = await PipAsync(bin, "download", "--no-deps", "--no-cache-dir", "-d", Path.Combine(_work, "blocked"), $"{_name}==1.0");
        using (var patch = await _pair.Server.SendAsync(HttpMethod.Patch, "ops/stage", "ops", "ops-pw", $$"""{"mirror_whitelist": ["{{Project}}"]}"""))
        {
            patch.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        var whitelisted = await PipAsync(bin, "download", "--no-deps", "--no-cache-dir", "-d", Path.Combine(_work, "allowed"), $"{_name}==1.0");
        var both = await PipAsync(bin, "index", "versions", _name);

        blocked.ExitCode.Should().NotBe(0, "the mirror's 1.0 is hidden behind the private 2.0: " + blocked.Output);
        whitelisted.ShouldSucceed();
        both.ShouldSucceed().Output.Should().Contain("Available versions: 2.0, 1.0", "pip sees the private 2.0 and the mirror's 1.0");
        Directory.GetFiles(Path.Combine(_work, "allowed")).Select(Path.GetFileName).Should().Equal(Distributions.WheelName(_name, "1.0"));
    }
}
