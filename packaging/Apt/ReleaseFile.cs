using System.Globalization;
using System.Text;

namespace Wheelhouse.Packaging.Apt;

/// <summary>The dists/&lt;suite&gt;/Release file: archive facts and the digests of every index beneath it.</summary>
public static class ReleaseFile
{
    /// <param name="indexes">Index path relative to dists/&lt;suite&gt;/ (e.g. main/binary-amd64/Packages.xz) and its digests.</param>
    public static string Render(AptRepositoryOptions options, IReadOnlyList<string> architectures, IEnumerable<(string Path, FileHashes Hashes)> indexes)
    {
        var files = indexes.OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
        var text = new StringBuilder()
            .Append("Origin: ").Append(options.Origin).Append('\n')
            .Append("Label: ").Append(options.Label).Append('\n')
            .Append("Suite: ").Append(options.Suite).Append('\n')
            .Append("Codename: ").Append(options.Codename).Append('\n')
            .Append("Date: ").Append(Date(options.Timestamp)).Append('\n')
            .Append("Architectures: ").Append(string.Join(' ', architectures)).Append('\n')
            .Append("Components: ").Append(AptRepositoryOptions.Component).Append('\n')
            .Append("Description: ").Append(options.Description).Append('\n');
        Section(text, "MD5Sum", files, h => h.Md5);
        Section(text, "SHA256", files, h => h.Sha256);
        Section(text, "SHA512", files, h => h.Sha512);
        return text.ToString();
    }

    /// <summary>RFC 2822 in UTC, the form Debian's archive writes ("Sat, 02 Jan 2026 03:04:05 UTC").</summary>
    public static string Date(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static void Section(StringBuilder text, string name, List<(string Path, FileHashes Hashes)> files, Func<FileHashes, string> digest)
    {
        text.Append(name).Append(":\n");
        var width = files.Count == 0 ? 0 : files.Max(f => f.Hashes.Size.ToString(CultureInfo.InvariantCulture).Length);
        foreach (var (path, hashes) in files)
        {
            text.Append(' ').Append(digest(hashes)).Append(' ')
                .Append(hashes.Size.ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append(' ').Append(path).Append('\n');
        }
    }
}
