using Wheelhouse.Packaging.Tests.Deb;

namespace Wheelhouse.Packaging.Tests.Integration;

/// <summary>
/// A real install from the loopback repository and a purge, on this (scratch) machine: the maintainer scripts create
/// and remove the service user, state and configuration. There is no systemd here, so nothing is started.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class InstallTests(PipelineFixture pipeline) : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("wh-install-state-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Install_then_purge_creates_and_removes_user_state_and_config()
    {
        Environment.UserName.Should().Be("root", "installing packages needs root (CI runs as root)");
        var installed = await ProcessRunner.RunAsync("dpkg-query", ["-W", "-f=${Status}", "wheelhouse-server"]);
        installed.StandardOutput.Should().NotContain("installed", "this test installs and purges wheelhouse-server; remove the one on this machine first");

        await using var repository = await LoopbackRepository.StartAsync(pipeline.RepositoryDirectory, _state);
        repository.UseKeyring(pipeline.Keyring);
        (await repository.AptGetAsync("update")).ExitCode.Should().Be(0);
        try
        {
            var install = await repository.AptGetAsync("install", "--yes", "--no-install-recommends", "wheelhouse-server");
            install.ExitCode.Should().Be(0, install.StandardOutput + install.StandardError);

            (await ProcessRunner.RunOkAsync("getent", "passwd", "wheelhouse-server")).Should().Contain(":/var/lib/wheelhouse-server:/usr/sbin/nologin");
            (await ProcessRunner.RunOkAsync("stat", "-c", "%U:%G %a", "/var/lib/wheelhouse-server")).Should().Be("wheelhouse-server:wheelhouse-server 711\n",
                "nginx's www-data may reach the served tree (+f-tree) by name, and list or read nothing else");
            File.Exists("/etc/wheelhouse-server/wheelhouse.json").Should().BeTrue();
            var help = await ProcessRunner.RunAsync("/usr/bin/wheelhouse-server", ["--help"]);
            (help.StandardOutput + help.StandardError).Should().Contain("serve", "the installed self-contained server runs without a system .NET");
        }
        finally
        {
            var purge = await ProcessRunner.RunAsync("dpkg", ["--purge", "wheelhouse-server"]);
            purge.ExitCode.Should().Be(0, purge.StandardError);
        }

        (await ProcessRunner.RunAsync("getent", ["passwd", "wheelhouse-server"])).ExitCode.Should().NotBe(0, "purge removes the service user");
        Directory.Exists("/var/lib/wheelhouse-server").Should().BeFalse("purge removes the state");
        Directory.Exists("/etc/wheelhouse-server").Should().BeFalse("purge removes the configuration");
        Directory.Exists("/usr/lib/wheelhouse-server").Should().BeFalse();
    }
}
