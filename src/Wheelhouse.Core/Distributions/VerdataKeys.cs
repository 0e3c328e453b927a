namespace Wheelhouse.Core.Distributions;

/// <summary>
/// devpi's names for core metadata fields, as used in <c>verdata</c> and in twine's upload form: scalar keys hold
/// a string ("" when empty), list keys a list ([] when empty).
/// </summary>
public static class VerdataKeys
{
    public static readonly IReadOnlyList<(string Key, string Field)> ScalarFields =
    [
        ("metadata_version", "Metadata-Version"),
        ("name", "Name"),
        ("version", "Version"),
        ("summary", "Summary"),
        ("description", "Description"),
        ("description_content_type", "Description-Content-Type"),
        ("keywords", "Keywords"),
        ("home_page", "Home-page"),
        ("download_url", "Download-URL"),
        ("author", "Author"),
        ("author_email", "Author-email"),
        ("maintainer", "Maintainer"),
        ("maintainer_email", "Maintainer-email"),
        ("license", "License"),
        ("license_expression", "License-Expression"),
        ("requires_python", "Requires-Python"),
    ];

    public static readonly IReadOnlyList<(string Key, string Field)> ListFields =
    [
        ("classifiers", "Classifier"),
        ("platform", "Platform"),
        ("supported_platform", "Supported-Platform"),
        ("requires_dist", "Requires-Dist"),
        ("requires_external", "Requires-External"),
        ("provides_extra", "Provides-Extra"),
        ("provides_dist", "Provides-Dist"),
        ("obsoletes_dist", "Obsoletes-Dist"),
        ("project_urls", "Project-URL"),
        ("dynamic", "Dynamic"),
        ("license_file", "License-File"),
        ("requires", "Requires"),
        ("provides", "Provides"),
        ("obsoletes", "Obsoletes"),
    ];

    /// <summary>Every verdata metadata key.</summary>
    public static IEnumerable<string> All => ScalarFields.Select(f => f.Key).Concat(ListFields.Select(f => f.Key));

    public static bool IsListKey(string key) => ListFields.Any(f => f.Key == key);

    public static bool IsKnown(string key) => All.Contains(key);
}
