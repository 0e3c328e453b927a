using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Templates;

namespace Wheelhouse.Packaging.Layout;

/// <summary>
/// Renders, lays out and writes one .deb. When the inputs (publish tree, rendered files, version, compression,
/// timestamp) hash to what the existing .deb was built from, the .deb is left as it is: the bytes would be the same.
/// </summary>
public static class PackageBuilder
{
    private const string StampSuffix = ".inputs";

    /// <param name="computeDepends">The dependencies found in a publish tree for an architecture (ELF NEEDED and runtime needs).</param>
    /// <param name="threads">Compressor threads; null for one per core. Changes the speed, never the bytes.</param>
    public static PackageBuildResult Build(PackageBuildRequest request, Func<string, string, IReadOnlyList<string>> computeDepends, int? threads = null)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(request.OutputDirectory);
        var m = request.Manifest;
        var depends = request.PublishDirectory is null ? [] : computeDepends(request.PublishDirectory, request.Architecture);
        var rendered = PackageRenderer.Render(m, new RenderInputs(request.Version, request.Architecture, depends, request.Timestamp, request.Distribution));
        var package = PackageLayout.Build(m, new LayoutInputs(rendered, request.PublishDirectory, request.RepositoryRoot, request.Timestamp));
        var path = Path.Combine(request.OutputDirectory, package.FileName);

        var digest = InputDigest(package, request.Compression);
        var stamp = Path.Combine(request.OutputDirectory, "." + package.FileName + StampSuffix);
        if (File.Exists(path) && File.Exists(stamp) && File.ReadAllText(stamp) == digest)
        {
            return new PackageBuildResult(path, Skipped: true, clock.Elapsed);
        }

        File.Delete(stamp);
        DebWriter.WriteToFile(package, request.Compression, path, threads ?? DebWriter.DefaultThreads);
        File.WriteAllText(stamp, digest);
        return new PackageBuildResult(path, Skipped: false, clock.Elapsed);
    }

    /// <summary>A digest of every byte, name, mode and link target that goes into the .deb, and how it is compressed.</summary>
    internal static string InputDigest(DebPackage package, DebCompression compression)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add($"writer={typeof(DebWriter).Assembly.ManifestModule.ModuleVersionId}");
        Add($"compression={compression.Name()} time={package.Timestamp.ToUnixTimeSeconds()}");
        Add(package.Control.ToString());
        foreach (var (name, content) in package.ControlScripts.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            Add(name);
            hash.AppendData(content);
        }
        foreach (var entry in package.Data.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            switch (entry)
            {
                case DebDirectory d:
                    Add($"d {d.Path} {d.Mode}");
                    break;
                case DebSymlink l:
                    Add($"l {l.Path} {l.Target}");
                    break;
                case DebFile f:
                    Add($"f {f.Path} {f.Mode} {f.IsConffile} {f.Source.Length}");
                    using (var content = f.Source.Open())
                    {
                        hash.AppendData(SHA256.HashData(content));
                    }

                    break;
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
