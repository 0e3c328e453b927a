namespace Wheelhouse.Packaging.Templates;

/// <summary>The model of <c>control.sbn</c>. Installed-Size is left to the .deb writer, which measures the data.</summary>
/// <param name="LongDescription">The extended description already in control syntax: each line indented by one space, " ." for blank lines.</param>
/// <param name="Depends">Comma-separated, or empty when the package has none (likewise Recommends, Suggests, Homepage).</param>
public sealed record ControlModel(
    string Package,
    string Version,
    string Architecture,
    string Section,
    string Priority,
    string Maintainer,
    string Depends,
    string Recommends,
    string Suggests,
    string Homepage,
    string Synopsis,
    string LongDescription);
