using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Layout;
using Wheelhouse.Packaging.Manifests;
using Wheelhouse.Packaging.Publishing;
using Wheelhouse.Packaging.Tests.Manifests;

namespace Wheelhouse.Packaging.Tests.Layout;

/// <summary>The incremental build: an unchanged input set leaves the .deb alone, any change rewrites it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PackageBuilderTests : IDisposable
{
    private readonly TempDirectory _dir = new("wh-builder");
    private readonly PackageManifest _manifest = ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path)
        .Single(m => m.Package == "wheelhouse-server");

    public PackageBuilderTests()
    {
        Directory.CreateDirectory(_dir.Combine("publish"));
        File.Copy("/usr/bin/true", _dir.Combine("publish", "wheelhouse-server"));
        _dir.Write("publish/wheelhouse-server.dll", "managed");
    }

    public void Dispose() => _dir.Dispose();

    private PackageBuildResult Build(string version = "1.0.0-1") => PackageBuilder.Build(
        new PackageBuildRequest(_manifest, "amd64", version, _dir.Combine("publish"), Testing.RepositoryRoot.Path, _dir.Combine("deb"),
            DebCompression.None, DateTimeOffset.FromUnixTimeSeconds(1_767_323_045), "stable"),
        (_, _) => ["libc6 (>= 2.34)"]);

    [Fact]
    public void A_second_build_with_the_same_inputs_leaves_the_deb_alone()
    {
        var first = Build();
        var written = File.GetLastWriteTimeUtc(first.DebPath);

        var second = Build();

        first.Skipped.Should().BeFalse();
        second.Skipped.Should().BeTrue();
        second.DebPath.Should().Be(first.DebPath);
        File.GetLastWriteTimeUtc(second.DebPath).Should().Be(written);
    }

    [Fact]
    public void A_changed_publish_file_rewrites_the_deb()
    {
        var first = Build();
        var before = File.ReadAllBytes(first.DebPath);
        _dir.Write("publish/wheelhouse-server.dll", "managed, changed");

        var second = Build();

        second.Skipped.Should().BeFalse();
        File.ReadAllBytes(second.DebPath).Should().NotEqual(before);
    }

    [Fact]
    public void A_deleted_deb_is_written_again()
    {
        var first = Build();
        File.Delete(first.DebPath);

        Build().Skipped.Should().BeFalse();
        File.Exists(first.DebPath).Should().BeTrue();
    }

    [Fact]
    public void Publish_inputs_cover_sources_but_not_build_outputs()
    {
        _dir.Write("repo/src/App/Program.cs", "class P {}");
        _dir.Write("repo/src/App/obj/generated.cs", "1");
        var request = new PublishRequest(_dir.Combine("repo"), "src/App", "Release", ["linux-x64"], _dir.Combine("repo", "artifacts"));
        var digest = PublishInputs.Digest(request, "linux-x64");

        _dir.Write("repo/src/App/obj/generated.cs", "2");
        PublishInputs.Digest(request, "linux-x64").Should().Be(digest, "obj/ is output, not input");
        PublishInputs.Digest(request, "linux-arm64").Should().NotBe(digest);
        _dir.Write("repo/src/App/Program.cs", "class P { }");
        PublishInputs.Digest(request, "linux-x64").Should().NotBe(digest);
    }

    [Fact]
    public void Publish_stamps_the_package_version_on_the_server_and_republishes_when_it_changes()
    {
        _dir.Write("repo/src/App/Program.cs", "class P {}");
        var request = new PublishRequest(_dir.Combine("repo"), "src/App", "Release", ["linux-x64"], _dir.Combine("repo", "artifacts"), "1.2.3~dev.4+gabc1234-1");

        DotNetPublisher.Arguments(request, "linux-x64").Should().Contain("-p:InformationalVersion=1.2.3~dev.4+gabc1234-1");
        PublishInputs.Digest(request with { Version = "1.2.3~dev.5+gdef5678-1" }, "linux-x64").Should().NotBe(PublishInputs.Digest(request, "linux-x64"));
    }
}
