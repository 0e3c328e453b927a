using Wheelhouse.Packaging.Templates;

namespace Wheelhouse.Packaging.Layout;

/// <summary>What the layout of one package needs besides its manifest.</summary>
/// <param name="PublishDirectory">The publish output for this architecture, or null for a package without payload.</param>
/// <param name="RepositoryRoot">Where docs named in the manifest are found.</param>
public sealed record LayoutInputs(RenderedPackage Rendered, string? PublishDirectory, string RepositoryRoot, DateTimeOffset Timestamp);
