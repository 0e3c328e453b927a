using System.Security.Cryptography;
using Wheelhouse.Packaging.Tests.Deb;

namespace Wheelhouse.Packaging.Tests.Pipeline;

/// <summary>
/// apt itself accepts the signed repository on loopback, would install from it, and fetches the package the build
/// wrote. Nothing is installed on this machine: the booted-container install proof (verify-install) installs,
/// upgrades and purges for real.
/// </summary>
[Integration]
[Collection(PipelineCollection.Name)]
public sealed class AptRepositoryIntegrationTests(PipelineFixture pipeline) : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("wh-apt-state-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Apt_get_update_accepts_the_signed_repository_and_can_install_the_server()
    {
        await using var repository = await LoopbackRepository.StartAsync(pipeline.RepositoryDirectory, _state);
        repository.UseKeyring(pipeline.Keyring);

        var update = await repository.AptGetAsync("update");
        update.ExitCode.Should().Be(0, update.StandardError);
        (update.StandardOutput + update.StandardError).Should().NotContain("W:").And.NotContain("E:");

        var policy = await repository.AptCacheAsync("policy", "wheelhouse-server");
        policy.StandardOutput.Should().Contain($"Candidate: {PipelineFixture.Version}");

        var install = await repository.AptGetAsync("install", "--simulate", "--no-install-recommends", "wheelhouse-server");
        install.ExitCode.Should().Be(0, install.StandardOutput + install.StandardError);
        install.StandardOutput.Should().Contain($"Inst wheelhouse-server ({PipelineFixture.Version} ");
    }

    [Fact]
    public async Task Apt_get_update_refuses_the_repository_with_another_key()
    {
        await using var repository = await LoopbackRepository.StartAsync(pipeline.RepositoryDirectory, _state);
        var otherKey = await Packaging.Apt.SigningKey.ResolveAsync(null, Path.Combine(_state, "other"));
        await otherKey.Signer.ExportPublicKeyAsync(Path.Combine(_state, "other-keyring"));
        await otherKey.Signer.StopAgentAsync();
        repository.UseKeyring(Path.Combine(_state, "other-keyring.gpg"));

        var update = await repository.AptGetAsync("update");

        (update.StandardOutput + update.StandardError).Should().Contain("NO_PUBKEY");
    }

    [Fact]
    public async Task Apt_get_download_fetches_the_built_server_whose_unpacked_executable_runs()
    {
        await using var repository = await LoopbackRepository.StartAsync(pipeline.RepositoryDirectory, _state);
        repository.UseKeyring(pipeline.Keyring);
        (await repository.AptGetAsync("update")).ExitCode.Should().Be(0);
        var downloads = Directory.CreateDirectory(Path.Combine(_state, "downloads")).FullName;

        var download = await repository.AptGetDownloadAsync("wheelhouse-server", downloads);

        download.ExitCode.Should().Be(0, download.StandardOutput + download.StandardError);
        var fetched = Directory.GetFiles(downloads, "*.deb").Should().ContainSingle().Subject;
        Sha256(fetched).Should().Be(Sha256(pipeline.ServerDeb), "apt fetches exactly the package the build wrote");
        var root = Path.Combine(_state, "unpacked");
        await ProcessRunner.RunOkAsync("dpkg-deb", "--extract", fetched, root);
        File.Exists(Path.Combine(root, "etc", "wheelhouse-server", "wheelhouse.json")).Should().BeTrue("the configuration ships as a conffile");
        var help = await ProcessRunner.RunAsync(Path.Combine(root, "usr", "bin", "wheelhouse-server"), ["--help"]);
        (help.StandardOutput + help.StandardError).Should().Contain("serve", "the self-contained server runs from its package's files alone");
    }

    private static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
