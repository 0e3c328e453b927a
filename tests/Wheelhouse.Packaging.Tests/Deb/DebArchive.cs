using System.Globalization;
using System.Text;
using SharpCompress.Compressors.Xz;
using SharpCompress.Readers;
using SharpCompress.Readers.Tar;

namespace Wheelhouse.Packaging.Tests.Deb;

/// <summary>
/// An independent reader for the tests: ar parsed by hand (strictly), members decompressed and listed with
/// SharpCompress, plus the raw tar headers so every field can be checked.
/// </summary>
internal sealed record DebArchive(IReadOnlyList<ArMember> Members)
{
    public static DebArchive Read(byte[] deb)
    {
        Encoding.ASCII.GetString(deb, 0, 8).Should().Be("!<arch>\n");
        var members = new List<ArMember>();
        var offset = 8;
        while (offset < deb.Length)
        {
            var header = Encoding.ASCII.GetString(deb, offset, 60);
            header[58..60].Should().Be("`\n", "every ar header ends with the fmag bytes");
            var size = int.Parse(header[48..58].Trim(), CultureInfo.InvariantCulture);
            members.Add(new ArMember(
                header[..16].TrimEnd(),
                long.Parse(header[16..28].Trim(), CultureInfo.InvariantCulture),
                header[28..34],
                header[34..40],
                header[40..48],
                deb.AsSpan(offset + 60, size).ToArray()));
            offset += 60 + size;
            if (size % 2 == 1)
            {
                deb[offset].Should().Be((byte)'\n', "odd members are padded with a newline");
                offset++;
            }
        }

        offset.Should().Be(deb.Length);
        return new DebArchive(members);
    }

    public ArMember Member(string name) => Members.Single(m => m.Name == name);

    public IReadOnlyList<TarItem> Tar(string prefix) => TarItem.ReadAll(Decompress(Members.Single(m => m.Name.StartsWith(prefix, StringComparison.Ordinal))));

    public byte[] RawTar(string prefix) => Decompress(Members.Single(m => m.Name.StartsWith(prefix, StringComparison.Ordinal)));

    public static byte[] Decompress(ArMember member)
    {
        using var input = new MemoryStream(member.Content);
        using Stream stream = Path.GetExtension(member.Name) switch
        {
            ".xz" => new XZStream(input),
            ".zst" => new SharpCompress.Compressors.ZStandard.DecompressionStream(input),
            ".gz" => new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress),
            ".tar" => input,
            var other => throw new InvalidOperationException($"unexpected member {member.Name} ({other})"),
        };
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }
}

internal sealed record ArMember(string Name, long Mtime, string Uid, string Gid, string Mode, byte[] Content);

/// <summary>One tar entry as SharpCompress sees it, plus the raw 512-byte header of the entry itself.</summary>
internal sealed record TarItem(string Name, long Size, long Mode, long Uid, long Gid, DateTime? Mtime, bool IsDirectory, string? LinkTarget, byte[] Content)
{
    public static IReadOnlyList<TarItem> ReadAll(byte[] tar)
    {
        var items = new List<TarItem>();
        using var reader = TarReader.OpenReader(new MemoryStream(tar), new ReaderOptions());
        while (reader.MoveToNextEntry())
        {
            var entry = (SharpCompress.Common.Tar.TarEntry)reader.Entry;
            using var content = new MemoryStream();
            if (!entry.IsDirectory && string.IsNullOrEmpty(entry.LinkTarget))
            {
                reader.WriteEntryTo(content);
            }

            items.Add(new TarItem(entry.Key!, entry.Size, entry.Mode, entry.UserID, entry.GroupId, entry.LastModifiedTime, entry.IsDirectory, entry.LinkTarget, content.ToArray()));
        }

        return items;
    }

    /// <summary>The raw headers of a tar stream, in order, long-name records included.</summary>
    public static IReadOnlyList<byte[]> RawHeaders(byte[] tar)
    {
        var headers = new List<byte[]>();
        var offset = 0;
        while (offset + 512 <= tar.Length && tar.AsSpan(offset, 512).ContainsAnyExcept((byte)0))
        {
            var header = tar.AsSpan(offset, 512).ToArray();
            headers.Add(header);
            var size = Convert.ToInt64(Encoding.ASCII.GetString(header, 124, 11), 8);
            offset += 512 + (int)((size + 511) / 512 * 512);
        }

        return headers;
    }
}
