using Wheelhouse.Core.Packages;

namespace Wheelhouse.Core.Indexes;

/// <summary>
/// Dependency-confusion protection, as devpi does it: walking the resolution order for a project, once a stage
/// index holds it, mirrors are skipped unless the project (or <c>*</c>) is in the whitelist accumulated so far.
/// The accumulated whitelist starts as the queried index's and is combined with each further stage's by the
/// queried index's <c>mirror_whitelist_inheritance</c> (intersection or union); once whitelisted, it stays so.
/// </summary>
public static class MirrorWhitelistPolicy
{
    /// <param name="holdsProject">Whether a stage index holds the project itself; never called for mirrors.</param>
    public static MirrorWhitelistDecision Decide(ResolutionOrder order, ProjectName project, Func<IndexPath, bool> holdsProject)
    {
        var union = order.Start.Config.MirrorWhitelistInheritance == MirrorWhitelistInheritance.Union;
        HashSet<string>? whitelist = null;
        var privateHit = false;
        IndexPath? whitelistedAt = null;
        var consult = new List<ResolvedIndex>();
        var blocked = new List<IndexPath>();
        foreach (var index in order)
        {
            if (index.IsMirror)
            {
                if (privateHit && whitelistedAt is null)
                {
                    blocked.Add(index.Path);
                }
                else
                {
                    consult.Add(index);
                }
                continue;
            }
            var own = index.Config.MirrorWhitelist;
            if (whitelist is null)
            {
                whitelist = new HashSet<string>(own, StringComparer.Ordinal);
            }
            else if (union)
            {
                whitelist.UnionWith(own);
            }
            else
            {
                whitelist.IntersectWith(own);
            }
            if (whitelistedAt is null && (whitelist.Contains("*") || whitelist.Contains(project.Normalized)))
            {
                whitelistedAt = index.Path;
            }
            if (holdsProject(index.Path))
            {
                privateHit = true;
                consult.Add(index);
            }
        }
        return new MirrorWhitelistDecision(consult, blocked, whitelistedAt);
    }
}

/// <param name="Consult">The indexes to read the project from, in resolution order: stages that hold it, then the mirrors not blocked.</param>
/// <param name="BlockedMirrors">Mirrors skipped because a stage holds the project and it is not whitelisted (show a notice).</param>
/// <param name="WhitelistedAt">The index at which the project became whitelisted, if it did.</param>
public sealed record MirrorWhitelistDecision(IReadOnlyList<ResolvedIndex> Consult, IReadOnlyList<IndexPath> BlockedMirrors, IndexPath? WhitelistedAt);
