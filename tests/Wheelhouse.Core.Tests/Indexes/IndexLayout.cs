using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;

namespace Wheelhouse.Core.Tests.Indexes;

/// <summary>A set of indexes by path, for resolution-order and whitelist tests.</summary>
internal sealed class IndexLayout
{
    private readonly Dictionary<IndexPath, IndexConfig> _indexes = [];

    public IndexLayout Stage(string path, string[]? bases = null, string[]? whitelist = null, MirrorWhitelistInheritance mode = MirrorWhitelistInheritance.Intersection)
    {
        var p = IndexPath.Parse(path);
        _indexes[p] = IndexConfig.DefaultStage(p.User) with
        {
            Bases = (bases ?? []).Select(IndexPath.Parse).ToList(),
            MirrorWhitelist = whitelist ?? [],
            MirrorWhitelistInheritance = mode,
        };
        return this;
    }

    public IndexLayout Mirror(string path)
    {
        _indexes[IndexPath.Parse(path)] = new IndexConfig { Type = IndexType.Mirror, MirrorUrl = "https://pypi.org/simple/", AclToxresultUpload = [AclEntry.Anonymous] };
        return this;
    }

    public IndexConfig? Lookup(IndexPath path) => _indexes.GetValueOrDefault(path);

    public ResolutionOrder Order(string start) => ResolutionOrder.Compute(IndexPath.Parse(start), Lookup)!;

    /// <summary>The seed's department layout (spec: "The team layout this serves").</summary>
    public static IndexLayout Department(MirrorWhitelistInheritance devMode = MirrorWhitelistInheritance.Intersection, string[]? devWhitelist = null) => new IndexLayout()
        .Stage("team/dev", ["team/staging"], devWhitelist, devMode)
        .Stage("team/staging", ["shared/stable"])
        .Stage("shared/stable", ["shared/stable-local", "shared/thirdparty-local", "root/pypi"])
        .Stage("shared/stable-local")
        .Stage("shared/thirdparty-local", whitelist: ["requests"])
        .Mirror("root/pypi");
}
