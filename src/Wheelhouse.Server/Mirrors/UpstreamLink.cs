namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// One file on an upstream project page (PEP 503 anchor or PEP 691 file entry), its URL made absolute against the page.
/// </summary>
/// <param name="Hashes">Hash name (lower case, e.g. <c>sha256</c>) → lower-case hex digest; empty when upstream gave none.</param>
/// <param name="RequiresPython">PEP 345 specifier, HTML-unescaped; null when absent.</param>
/// <param name="Yanked">PEP 592: null when not yanked, otherwise the reason ("" when none was given).</param>
/// <param name="CoreMetadata">PEP 658/714: null when no metadata file is offered, otherwise its hashes (possibly empty).</param>
public sealed record UpstreamLink(
    Uri Url,
    string Filename,
    IReadOnlyDictionary<string, string> Hashes,
    string? RequiresPython,
    string? Yanked,
    IReadOnlyDictionary<string, string>? CoreMetadata)
{
    public string? Sha256 => Hashes.TryGetValue("sha256", out var hex) ? hex : null;

    public bool IsYanked => Yanked is not null;
}

/// <summary>An upstream project page: the project's name as upstream spells it, its files and (PEP 700) versions.</summary>
public sealed record UpstreamProjectPage(string Name, IReadOnlyList<UpstreamLink> Links, IReadOnlyList<string> Versions);

/// <summary>An upstream project list (<c>/simple/</c>): project names as upstream spells them.</summary>
public sealed record UpstreamProjectList(IReadOnlyList<string> Projects);
