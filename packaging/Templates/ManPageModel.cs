namespace Wheelhouse.Packaging.Templates;

/// <summary>The model of a man page template (the manifest's man-pages).</summary>
/// <param name="Date">The month of SOURCE_DATE_EPOCH as man pages show it ("November 2026").</param>
/// <param name="ConfigFiles">Absolute paths of the package's conffiles.</param>
public sealed record ManPageModel(
    string Package,
    string Version,
    string Date,
    string Synopsis,
    string Homepage,
    string User,
    string Unit,
    IReadOnlyList<string> ConfigFiles,
    IReadOnlyList<string> StateDirectories,
    IReadOnlyDictionary<string, string> Settings);
