namespace Wheelhouse.Packaging.Templates;

/// <summary>The model of a conffile template (the manifest's config-files[].template).</summary>
public sealed record ConfigFileModel(
    string Package,
    string Path,
    string InstallRoot,
    string ConfigDirectory,
    IReadOnlyList<string> StateDirectories,
    string LogDirectory,
    string User,
    IReadOnlyDictionary<string, string> Settings);
