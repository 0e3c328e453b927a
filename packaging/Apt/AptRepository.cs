using System.IO.Compression;
using System.Text;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Deb.Compression;

namespace Wheelhouse.Packaging.Apt;

/// <summary>
/// A flat-pool apt repository on disk (pool/main/&lt;letter&gt;/&lt;package&gt;/, dists/&lt;suite&gt;/main/binary-&lt;arch&gt;/).
/// Publishing adds packages to the pool and re-indexes the whole pool, so versions published before stay
/// installable: clients can pin or downgrade.
/// </summary>
public sealed class AptRepository(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Copies .deb files into the pool. The same file again is a no-op; a different file under the same name replaces it, with a warning.</summary>
    public IReadOnlyList<string> AddToPool(IEnumerable<string> debs, Action<string> warn)
    {
        var added = new List<string>();
        foreach (var deb in debs)
        {
            var control = DebControlReader.Read(deb);
            var relative = PoolPath(control);
            var target = Path.Combine(Root, relative);
            if (File.Exists(target))
            {
                if (FilesEqual(deb, target))
                {
                    continue;
                }

                warn($"replacing {relative}: a package of the same version with different content; apt clients that cached the old one will see a hash mismatch");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temporary = target + ".tmp";
            File.Copy(deb, temporary, overwrite: true);
            File.Move(temporary, target, overwrite: true);
            added.Add(relative);
        }
        return added;
    }

    /// <summary>pool/main/&lt;first letter, or lib + letter&gt;/&lt;package&gt;/&lt;file&gt;, as Debian's archive lays it out.</summary>
    public static string PoolPath(ControlFile control)
    {
        var package = control.Package;
        var letter = package.StartsWith("lib", StringComparison.Ordinal) && package.Length > 3 ? package[..4] : package[..1];
        return $"pool/{AptRepositoryOptions.Component}/{letter}/{package}/{DebFileName.For(control)}";
    }

    /// <summary>Every .deb now in the pool, with the digests its Packages stanza needs.</summary>
    public IReadOnlyList<PoolPackage> ScanPool()
    {
        var pool = Path.Combine(Root, "pool");
        if (!Directory.Exists(pool))
        {
            return [];
        }

        var cache = PoolCache.Open(Root);
        var packages = Directory.GetFiles(pool, "*.deb", SearchOption.AllDirectories)
            .Select(path =>
            {
                var relative = Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');
                var entry = cache.Get(relative, path);
                return new PoolPackage(ControlFile.Parse(entry.Control), relative, entry.Size, entry.Md5, entry.Sha1, entry.Sha256);
            })
            .OrderBy(p => p.Filename, StringComparer.Ordinal)
            .ToList();
        cache.Save(packages.Select(p => p.Filename));
        return packages;
    }

    /// <summary>Writes Packages{,.gz,.xz} for each architecture and the Release file, then signs it when a signer is given.</summary>
    public async Task<string> PublishAsync(AptRepositoryOptions options, GpgSigner? signer, CancellationToken cancellationToken = default)
    {
        var packages = ScanPool();
        var architectures = options.Architectures
            .Concat(packages.Select(p => p.Control.Architecture).Where(a => a != "all"))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var dist = Path.Combine(Root, "dists", options.Suite);
        var indexes = new List<(string, FileHashes)>();
        foreach (var architecture in architectures)
        {
            var directory = $"{AptRepositoryOptions.Component}/binary-{architecture}";
            var plain = Encoding.UTF8.GetBytes(PackagesIndex.Render(packages, architecture));
            foreach (var (name, bytes) in new[] { ("Packages", plain), ("Packages.gz", Gzip(plain)), ("Packages.xz", Xz(plain)) })
            {
                WriteAtomically(Path.Combine(dist, directory, name), bytes);
                indexes.Add(($"{directory}/{name}", FileHashes.Of(bytes)));
            }
        }

        var releasePath = Path.Combine(dist, "Release");
        WriteAtomically(releasePath, Encoding.UTF8.GetBytes(ReleaseFile.Render(options, architectures, indexes)));
        if (signer is not null)
        {
            await signer.SignAsync(releasePath, cancellationToken);
        }

        return releasePath;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static byte[] Xz(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var xz = Compressor.Open(DebCompression.Xz, buffer, threads: 1))
        {
            xz.Write(data);
        }

        return buffer.ToArray();
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return;
        }

        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    private static bool FilesEqual(string a, string b)
    {
        if (new FileInfo(a).Length != new FileInfo(b).Length)
        {
            return false;
        }

        return FileHashes.Of(a).Sha256 == FileHashes.Of(b).Sha256;
    }
}
