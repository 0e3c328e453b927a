namespace Wheelhouse.Packaging.Templates;

/// <summary>
/// Where a package's templates live: <c>debian-templates/&lt;package&gt;/&lt;name&gt;.sbn</c>, falling back to
/// <c>debian-templates/_common/</c> so packages share control, copyright and changelog unless they bring their own.
/// </summary>
public static class TemplateSet
{
    public const string Extension = ".sbn";
    public const string CommonFolder = "_common";

    /// <summary>Templates every package must render.</summary>
    public static readonly IReadOnlyList<string> Required = ["control", "copyright", "changelog.Debian"];

    /// <summary>Maintainer scripts, shipped only when the package has a template for them.</summary>
    public static readonly IReadOnlyList<string> MaintainerScripts = ["preinst", "postinst", "prerm", "postrm", "config"];

    /// <summary>Other control.tar members rendered from a template when the package has one: debconf's questions.</summary>
    public static readonly IReadOnlyList<string> ControlFiles = ["templates"];

    /// <summary>The template file for <paramref name="name"/>, or null when neither the package nor _common has one.</summary>
    public static string? Find(string packageDirectory, string name)
    {
        var own = Path.Combine(packageDirectory, name + Extension);
        if (File.Exists(own))
        {
            return own;
        }

        var common = Path.Combine(Path.GetDirectoryName(packageDirectory.TrimEnd('/'))!, CommonFolder, name + Extension);
        return File.Exists(common) ? common : null;
    }
}
