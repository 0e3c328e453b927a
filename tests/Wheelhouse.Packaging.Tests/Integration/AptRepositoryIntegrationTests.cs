using Wheelhouse.Packaging.Tests.Deb;

namespace Wheelhouse.Packaging.Tests.Integration;

/// <summary>apt itself accepts the signed repository on loopback and installs from it.</summary>
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
}
