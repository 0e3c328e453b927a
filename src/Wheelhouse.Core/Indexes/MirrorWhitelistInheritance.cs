namespace Wheelhouse.Core.Indexes;

/// <summary>
/// How the <c>mirror_whitelist</c>s met along the resolution order combine: <c>intersection</c> (default for new
/// indexes; never whitelists by accident) or <c>union</c> (devpi's old behaviour). The queried index's mode applies.
/// </summary>
public enum MirrorWhitelistInheritance
{
    Intersection,
    Union,
}
