using System.Buffers.Binary;
using System.Text;

namespace Wheelhouse.Testing;

/// <summary>
/// Makes a zip lie about one entry: rewrites the CRC-32 and/or uncompressed size that its local header and its
/// central directory record declare, leaving the compressed data as it is (what a hostile uploader can do by hand).
/// </summary>
internal static class ZipHeaders
{
    public static byte[] Declare(byte[] zip, string entry, uint? size = null, uint? crc = null)
    {
        var bytes = (byte[])zip.Clone();
        var name = Encoding.UTF8.GetBytes(entry);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            // Local header: CRC at 14, uncompressed size at 22, name at 30. Central record: CRC at 16, size at 24, name at 46.
            var (crcAt, sizeAt, nameLengthAt, nameAt) = signature switch
            {
                0x04034b50 => (14, 22, 26, 30),
                0x02014b50 => (16, 24, 28, 46),
                _ => (-1, -1, -1, -1),
            };
            if (crcAt < 0 || BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + nameLengthAt)) != name.Length
                || i + nameAt + name.Length > bytes.Length || !bytes.AsSpan(i + nameAt, name.Length).SequenceEqual(name))
            {
                continue;
            }
            if (crc is { } c)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + crcAt), c);
            }
            if (size is { } s)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + sizeAt), s);
            }
            patched++;
        }
        return patched == 2 ? bytes : throw new InvalidOperationException($"found {patched} headers for {entry}, expected a local and a central one");
    }

    /// <summary>The CRC-32 a header declares for an entry (from its central directory record).</summary>
    public static uint DeclaredCrc(byte[] zip, string entry)
    {
        var name = Encoding.UTF8.GetBytes(entry);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i)) == 0x02014b50
                && zip.AsSpan(i + 46).StartsWith(name) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28)) == name.Length)
            {
                return BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i + 16));
            }
        }
        throw new InvalidOperationException($"no central record for {entry}");
    }

    /// <summary>Text that compresses badly (so no ratio check fires): random letters in lines.</summary>
    public static string Incompressible(int length, int seed = 7)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(length);
        while (sb.Length < length)
        {
            sb.Append(sb.Length % 80 == 79 ? '\n' : (char)('a' + random.Next(26)));
        }
        return sb.ToString();
    }
}
