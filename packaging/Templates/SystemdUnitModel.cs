namespace Wheelhouse.Packaging.Templates;

/// <summary>The model of the systemd unit template named by the manifest's service.unit.</summary>
public sealed record SystemdUnitModel(
    string Package,
    string Synopsis,
    string Homepage,
    string User,
    string Group,
    string InstallRoot,
    string ConfigDirectory,
    IReadOnlyList<string> StateDirectories,
    string LogDirectory,
    IReadOnlyList<string> Binaries,
    IReadOnlyDictionary<string, string> Settings);
