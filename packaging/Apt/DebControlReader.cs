using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SharpCompress.Compressors.Xz;
using Wheelhouse.Packaging.Deb;
using ZstdDecompression = SharpCompress.Compressors.ZStandard.DecompressionStream;

namespace Wheelhouse.Packaging.Apt;

/// <summary>
/// Reads the control paragraph of a .deb already in the pool, from the ar member control.tar[.xz|.zst|.gz],
/// so a repository can be re-indexed from its pool alone (as dpkg-scanpackages does).
/// </summary>
public static class DebControlReader
{
    public static ControlFile Read(string debPath)
    {
        try
        {
            using var deb = File.OpenRead(debPath);
            return ControlFile.Parse(ReadControlText(deb));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"cannot read the control file of {debPath}: {ex.Message}", ex);
        }
    }

    private static string ReadControlText(Stream deb)
    {
        var magic = ReadExactly(deb, 8);
        if (Encoding.ASCII.GetString(magic) != "!<arch>\n")
        {
            throw new InvalidDataException("not an ar archive");
        }

        while (true)
        {
            var header = ReadExactly(deb, 60);
            var name = Encoding.ASCII.GetString(header, 0, 16).TrimEnd(' ').TrimEnd('/');
            var size = long.Parse(Encoding.ASCII.GetString(header, 48, 10).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (name.StartsWith("control.tar", StringComparison.Ordinal))
            {
                var member = new MemoryStream(ReadExactly(deb, checked((int)size)));
                using var tar = Decompress(name, member);
                return FindControl(tar);
            }
            deb.Seek(size + (size & 1), SeekOrigin.Current);
        }
    }

    private static Stream Decompress(string member, Stream content) => Path.GetExtension(member) switch
    {
        ".tar" => content,
        ".xz" => new XZStream(content),
        ".zst" => new ZstdDecompression(content),
        ".gz" => new GZipStream(content, CompressionMode.Decompress),
        var other => throw new InvalidDataException($"unsupported control member compression '{other}'"),
    };

    private static string FindControl(Stream tarStream)
    {
        using var tar = new TarReader(tarStream);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name is "./control" or "control" && entry.DataStream is { } data)
            {
                using var reader = new StreamReader(data, Encoding.UTF8);
                return reader.ReadToEnd();
            }
        }
        throw new InvalidDataException("control.tar has no ./control member");
    }

    private static byte[] ReadExactly(Stream stream, int count)
    {
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
