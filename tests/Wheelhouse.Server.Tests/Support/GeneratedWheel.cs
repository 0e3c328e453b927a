using System.IO.Compression;
using System.Text;

namespace Wheelhouse.Server.Tests.Support;

/// <summary>
/// Small real wheels with dependencies between them (<c>Requires-Dist</c> with extras and markers) and any platform
/// tag, for pip to resolve: what an upstream index of interdependent projects holds.
/// </summary>
public static class GeneratedWheel
{
    /// <summary>(file name, bytes) of <c>{name}-{version}-{tag}.whl</c>.</summary>
    /// <param name="requires">Requires-Dist lines, e.g. <c>lib&gt;=2</c>, <c>plugin; extra == "plugins"</c>.</param>
    public static (string FileName, byte[] Bytes) Build(string name, string version, string[]? requires = null, string tag = "py3-none-any",
        string[]? extras = null)
    {
        var module = name.Replace('-', '_');
        var stem = $"{module}-{version}";
        var metadata = new StringBuilder($"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: generated for fill tests\nRequires-Python: >=3.7\n");
        foreach (var extra in extras ?? [])
        {
            metadata.Append("Provides-Extra: ").Append(extra).Append('\n');
        }
        foreach (var requirement in requires ?? [])
        {
            metadata.Append("Requires-Dist: ").Append(requirement).Append('\n');
        }
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, $"{module}/__init__.py", $"NAME = '{name}'\nVERSION = '{version}'\n");
            Add(zip, $"{stem}.dist-info/METADATA", metadata.Append("\ngenerated\n").ToString());
            Add(zip, $"{stem}.dist-info/WHEEL", $"Wheel-Version: 1.0\nGenerator: wheelhouse-tests\nRoot-Is-Purelib: true\nTag: {tag}\n");
            Add(zip, $"{stem}.dist-info/RECORD", "");
        }
        return ($"{stem}-{tag}.whl", ms.ToArray());
    }

    private static void Add(ZipArchive zip, string path, string content)
    {
        // A fixed time: the same wheel is the same bytes, so its hash can be pinned.
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
