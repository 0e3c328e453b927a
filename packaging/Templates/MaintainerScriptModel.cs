namespace Wheelhouse.Packaging.Templates;

/// <summary>The model shared by preinst, postinst, prerm and postrm.</summary>
/// <param name="User">The service account, or empty when the package runs no daemon (likewise Group, Home, Unit).</param>
/// <param name="ConfigFiles">Absolute paths of the package's conffiles.</param>
public sealed record MaintainerScriptModel(
    string Package,
    string Version,
    string User,
    string Group,
    string Home,
    string Unit,
    string InstallRoot,
    string ConfigDirectory,
    IReadOnlyList<string> ConfigFiles,
    IReadOnlyList<string> StateDirectories,
    string LogDirectory,
    IReadOnlyDictionary<string, string> Settings);
