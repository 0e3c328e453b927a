namespace Wheelhouse.Core.Indexes;

/// <summary>The keys an index config accepts, per index type.</summary>
public static class IndexConfigKeys
{
    public const string RefusePrereleases = "refuse_prereleases";

    public const string MirrorNoProjectList = "mirror_no_project_list";

    public static readonly IReadOnlyList<string> Stage =
    [
        "type", "bases", "volatile", "acl_upload", "acl_toxresult_upload", "mirror_whitelist", "mirror_whitelist_inheritance",
        RefusePrereleases, "title", "description", "custom_data",
    ];

    public static readonly IReadOnlyList<string> Mirror =
    [
        "type", "mirror_url", "mirror_web_url_fmt", "mirror_cache_expiry", MirrorNoProjectList, "volatile", "title", "description", "custom_data",
        "prefetch", "prefetch_requirements", "prefetch_interval", "prefetch_bandwidth", "prefetch_max_bytes",
    ];

    /// <summary>Keys whose value is a list (the ones <c>k+=v</c> and <c>k-=v</c> work on).</summary>
    public static readonly IReadOnlySet<string> Lists = new HashSet<string>(StringComparer.Ordinal)
    {
        "bases", "acl_upload", "acl_toxresult_upload", "mirror_whitelist", "prefetch",
    };

    public static IReadOnlyList<string> For(IndexType type) => type == IndexType.Mirror ? Mirror : Stage;
}
