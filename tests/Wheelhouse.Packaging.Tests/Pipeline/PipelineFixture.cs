using Wheelhouse.Packaging.Apt;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Layout;
using Wheelhouse.Packaging.Manifests;
using Wheelhouse.Packaging.Publishing;

namespace Wheelhouse.Packaging.Tests.Pipeline;

/// <summary>
/// Runs the real pipeline once for the integration tests: a self-contained linux-x64 publish of the server, every
/// package of debian-templates/ for amd64 (gzip: fast, and lintian on bookworm reads it), and a signed apt repository
/// with a throwaway key. Everything lives in one temporary folder, removed at the end.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public const string Version = "1.2.3-1";
    public const string Architecture = "amd64";
    public static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_767_323_045);

    public string Root { get; } = Directory.CreateTempSubdirectory("wh-pipeline-").FullName;
    public string PublishDirectory => Path.Combine(Root, "publish", "linux-x64");
    public string DebDirectory => Path.Combine(Root, "deb");
    public string RepositoryDirectory => Path.Combine(Root, "apt");
    public string Keyring => Path.Combine(RepositoryDirectory, "wheelhouse-archive-keyring.gpg");
    public IReadOnlyList<PackageManifest> Manifests { get; private set; } = [];
    public IReadOnlyList<string> Debs { get; private set; } = [];
    public string ServerDeb => Debs.Single(d => Path.GetFileName(d).StartsWith("wheelhouse-server_", StringComparison.Ordinal));

    public async Task InitializeAsync()
    {
        Manifests = ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path);
        var project = Manifests.Single(m => m.Package == "wheelhouse-server").Payload!.Publish;
        await DotNetPublisher.PublishAsync(
            new PublishRequest(Testing.RepositoryRoot.Path, project, "Release", ["linux-x64"], Path.Combine(Root, "publish")), _ => { });
        Debs = BuildDebs(PublishDirectory, DebDirectory);

        var key = await SigningKey.ResolveAsync(null, Root);
        try
        {
            var repository = new AptRepository(RepositoryDirectory);
            repository.AddToPool(Debs, _ => { });
            await repository.PublishAsync(new AptRepositoryOptions("stable", [Architecture], Timestamp), key.Signer);
            await key.Signer.ExportPublicKeyAsync(Path.Combine(RepositoryDirectory, "wheelhouse-archive-keyring"));
        }
        finally
        {
            await key.Signer.StopAgentAsync();
        }
    }

    /// <summary>Every package for amd64 from <paramref name="publishDirectory"/> into <paramref name="output"/>, as the deb target does.</summary>
    public IReadOnlyList<string> BuildDebs(string publishDirectory, string output) =>
        PackagePlan.For(Manifests, [Architecture], _ => publishDirectory, Version, Testing.RepositoryRoot.Path, output,
                DebCompression.Gzip, Timestamp, "stable")
            .Select(r => PackageBuilder.Build(r, PayloadDependencies.Compute).DebPath)
            .ToList();

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline";
}
