using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Manifests;

namespace Wheelhouse.Packaging.Layout;

/// <summary>One .deb to produce: a manifest for one Debian architecture, and where its payload and output are.</summary>
/// <param name="PublishDirectory">The publish output for <paramref name="Architecture"/>; null for a package without payload.</param>
public sealed record PackageBuildRequest(
    PackageManifest Manifest,
    string Architecture,
    string Version,
    string? PublishDirectory,
    string RepositoryRoot,
    string OutputDirectory,
    DebCompression Compression,
    DateTimeOffset Timestamp,
    string Distribution);

/// <summary>What building one .deb did.</summary>
public sealed record PackageBuildResult(string DebPath, bool Skipped, TimeSpan Elapsed);
