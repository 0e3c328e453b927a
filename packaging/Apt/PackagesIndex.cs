using System.Text;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Versioning;

namespace Wheelhouse.Packaging.Apt;

/// <summary>
/// A binary-&lt;arch&gt;/Packages file as dpkg-scanpackages writes it: each package's control fields with
/// Filename, Size and digests added before the Description, stanzas sorted by package then version then architecture.
/// Arch-all packages are listed under every architecture.
/// </summary>
public static class PackagesIndex
{
    public static string Render(IEnumerable<PoolPackage> packages, string architecture)
    {
        var selected = packages
            .Where(p => p.Control.Architecture == architecture || p.Control.Architecture == "all")
            .OrderBy(p => p.Control.Package, StringComparer.Ordinal)
            .ThenBy(p => DebianVersion.Parse(p.Control.Version))
            .ThenBy(p => p.Control.Architecture, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var package in selected)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(Stanza(package));
        }
        return text.ToString();
    }

    private static string Stanza(PoolPackage p)
    {
        bool IsDescription(ControlField f) => f.Name.Equals("Description", StringComparison.OrdinalIgnoreCase);
        var size = p.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        IEnumerable<ControlField> fields =
        [
            .. p.Control.Fields.Where(f => !IsDescription(f)),
            new("Filename", p.Filename),
            new("Size", size),
            new("MD5sum", p.Md5),
            new("SHA1", p.Sha1),
            new("SHA256", p.Sha256),
            .. p.Control.Fields.Where(IsDescription),
        ];
        return ControlFile.Create(fields).ToString();
    }
}
