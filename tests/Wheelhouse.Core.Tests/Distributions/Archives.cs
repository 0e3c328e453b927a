using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Wheelhouse.Core.Tests.Distributions;

/// <summary>Builds small zip and tar.gz archives in memory for the inspector tests.</summary>
internal static class Archives
{
    public static string Metadata(string name, string version, string extra = "") =>
        $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: test\n{extra}\n";

    public static MemoryStream Zip(params (string Path, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in entries)
            {
                using var s = zip.CreateEntry(path, CompressionLevel.SmallestSize).Open();
                s.Write(content);
            }
        }
        stream.Position = 0;
        return stream;
    }

    public static MemoryStream TarGz(params (string Path, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) });
            }
        }
        stream.Position = 0;
        return stream;
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static MemoryStream Truncated(MemoryStream whole, double fraction) =>
        new(whole.ToArray()[..(int)(whole.Length * fraction)]);
}
