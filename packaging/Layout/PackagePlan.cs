using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Manifests;

namespace Wheelhouse.Packaging.Layout;

/// <summary>Which .deb files a build produces: each per-arch manifest once per architecture, each arch-all manifest once.</summary>
public static class PackagePlan
{
    public static IReadOnlyList<PackageBuildRequest> For(
        IReadOnlyList<PackageManifest> manifests,
        IReadOnlyList<string> architectures,
        Func<string, string> publishDirectoryFor,
        string version,
        string repositoryRoot,
        string outputDirectory,
        DebCompression compression,
        DateTimeOffset timestamp,
        string distribution)
    {
        var requests = new List<PackageBuildRequest>();
        foreach (var m in manifests)
        {
            IEnumerable<string> arches = m.Architecture == ArchitectureMode.All ? ["all"] : architectures;
            foreach (var arch in arches)
            {
                var publish = m.Payload is null ? null : publishDirectoryFor(arch);
                requests.Add(new PackageBuildRequest(m, arch, version, publish, repositoryRoot, outputDirectory, compression, timestamp, distribution));
            }
        }
        return requests;
    }
}
