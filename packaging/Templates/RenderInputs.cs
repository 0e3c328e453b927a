namespace Wheelhouse.Packaging.Templates;

/// <summary>What varies per build of one package: everything else comes from its manifest.</summary>
/// <param name="Architecture">The Debian architecture (amd64, arm64, all).</param>
/// <param name="ComputedDepends">Dependencies found in the payload (ELF NEEDED, runtime needs), before the manifest's own.</param>
/// <param name="Timestamp">SOURCE_DATE_EPOCH: the changelog date and the copyright year.</param>
/// <param name="Distribution">The changelog distribution, the apt suite the build publishes to.</param>
public sealed record RenderInputs(
    string Version,
    string Architecture,
    IReadOnlyList<string> ComputedDepends,
    DateTimeOffset Timestamp,
    string Distribution = "stable");
