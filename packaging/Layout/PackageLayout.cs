using System.IO.Compression;
using System.IO.Enumeration;
using System.Text;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Manifests;

namespace Wheelhouse.Packaging.Layout;

/// <summary>
/// Places one package's files where Debian expects them: the whole publish output in the install root,
/// relative symlinks in /usr/bin, conffiles in /etc, the unit in /usr/lib/systemd/system, docs and the
/// lintian overrides in /usr/share.
/// </summary>
public static class PackageLayout
{
    public static DebPackage Build(PackageManifest m, LayoutInputs inputs)
    {
        var entries = new List<DebEntry>();
        var root = m.InstallRoot.TrimStart('/');
        if (m.Payload is not null)
        {
            if (inputs.PublishDirectory is null || !Directory.Exists(inputs.PublishDirectory))
            {
                throw new DirectoryNotFoundException($"{m.Package}: publish output '{inputs.PublishDirectory}' does not exist; run ./build.sh publish first");
            }

            entries.AddRange(Payload(inputs.PublishDirectory, root, m.Payload.Exclude));
        }

        foreach (var binary in m.Binaries)
        {
            var target = $"{root}/{binary.Target}";
            if (m.Payload is not null && !entries.Any(e => e.Path == target))
            {
                throw new InvalidOperationException($"{m.Package}: binary '{binary.Link}' points at {m.InstallRoot}/{binary.Target}, which the publish output does not contain");
            }

            entries.Add(new DebSymlink(binary.Link.TrimStart('/'), RelativeLink(binary.Link, $"{m.InstallRoot}/{binary.Target}")));
        }

        foreach (var config in inputs.Rendered.ConfigFiles)
        {
            entries.Add(new DebFile(config.Name.TrimStart('/'), DebFileSource.FromText(config.Text), DebModes.Regular, IsConffile: true));
        }

        if (inputs.Rendered.Unit is { } unit)
        {
            entries.Add(new DebFile($"usr/lib/systemd/system/{unit.Name}", DebFileSource.FromText(unit.Text)));
        }

        foreach (var extra in inputs.Rendered.ExtraUnits)
        {
            entries.Add(new DebFile($"usr/lib/systemd/system/{extra.Name}", DebFileSource.FromText(extra.Text)));
        }

        var doc = $"usr/share/doc/{m.Package}";
        entries.Add(new DebFile($"{doc}/copyright", DebFileSource.FromText(inputs.Rendered.Copyright)));
        entries.Add(new DebFile($"{doc}/changelog.Debian.gz", DebFileSource.FromBytes(Gzip(inputs.Rendered.Changelog))));
        foreach (var file in m.Docs)
        {
            entries.Add(new DebFile($"{doc}/{file.Name}", DebFileSource.FromDisk(Path.Combine(inputs.RepositoryRoot, file.Source))));
        }

        foreach (var page in inputs.Rendered.ManPages)
        {
            entries.Add(new DebFile($"usr/share/man/man{page.Name[^1]}/{page.Name}.gz", DebFileSource.FromBytes(Gzip(page.Text))));
        }

        if (inputs.Rendered.LintianOverrides is { } overrides)
        {
            entries.Add(new DebFile($"usr/share/lintian/overrides/{m.Package}", DebFileSource.FromText(overrides)));
        }

        var scripts = inputs.Rendered.MaintainerScripts.ToDictionary(s => s.Key, s => Encoding.UTF8.GetBytes(s.Value), StringComparer.Ordinal);
        return new DebPackage(ControlFile.Parse(inputs.Rendered.Control), entries, scripts, inputs.Timestamp);
    }

    /// <summary>The publish tree under the install root, modes decided by <see cref="FileModes"/>, excluded globs left out.</summary>
    private static IEnumerable<DebEntry> Payload(string publishDirectory, string root, IReadOnlyList<string> exclude)
    {
        foreach (var entry in DebContent.FromDirectory(publishDirectory, root))
        {
            var relative = entry.Path.Length > root.Length ? entry.Path[(root.Length + 1)..] : "";
            if (relative.Length > 0 && exclude.Any(glob => Matches(glob, relative)))
            {
                continue;
            }

            yield return entry is DebFile file
                ? file with { Mode = FileModes.For(Path.Combine(publishDirectory, relative)) }
                : entry;
        }
    }

    private static bool Matches(string glob, string relative) =>
        FileSystemName.MatchesSimpleExpression(glob, glob.Contains('/') ? relative : Path.GetFileName(relative), ignoreCase: false);

    /// <summary>The relative target for a symlink at <paramref name="link"/> to <paramref name="target"/>, both absolute (Debian policy 10.5).</summary>
    public static string RelativeLink(string link, string target)
    {
        var from = link.Trim('/').Split('/')[..^1];
        var to = target.Trim('/').Split('/');
        var common = 0;
        while (common < from.Length && common < to.Length - 1 && from[common] == to[common])
        {
            common++;
        }

        return string.Join('/', Enumerable.Repeat("..", from.Length - common).Concat(to[common..]));
    }

    /// <summary>gzip -9n: maximum compression, no name, no time (the header .NET writes has neither).</summary>
    internal static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
