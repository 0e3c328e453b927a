using Wheelhouse.Packaging.Manifests;
using Wheelhouse.Packaging.Templates;

namespace Wheelhouse.Packaging.Tests.Templates;

/// <summary>Every file rendered for each real package in debian-templates/, against its golden copy.</summary>
public sealed class PackageRendererGoldenTests
{
    public static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_767_323_045); // 2026-01-02 03:04:05 UTC

    public static TheoryData<string> Packages()
    {
        var data = new TheoryData<string>();
        foreach (var m in LoadAll())
        {
            data.Add(m.Package);
        }

        return data;
    }

    private static IReadOnlyList<PackageManifest> LoadAll() =>
        ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path);

    public static RenderedPackage RenderFixed(PackageManifest m) =>
        PackageRenderer.Render(m, new RenderInputs(
            "1.2.3-1",
            m.Architecture == ArchitectureMode.All ? "all" : "amd64",
            m.Architecture == ArchitectureMode.All ? [] : ["libc6 (>= 2.34)", "libssl3 | libssl1.1", "zlib1g"],
            Epoch));

    [Theory]
    [MemberData(nameof(Packages))]
    public void Every_rendered_file_matches_its_golden_copy(string package)
    {
        var rendered = RenderFixed(LoadAll().Single(m => m.Package == package));
        foreach (var file in rendered.All())
        {
            Golden.Verify(Path.Combine(package, file.Name.TrimStart('/').Replace('/', '_')), file.Text);
        }
    }
}
