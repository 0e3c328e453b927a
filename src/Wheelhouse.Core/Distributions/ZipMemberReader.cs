using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Wheelhouse.Core.Distributions;

/// <summary>
/// Reads one member of a zip without trusting what its headers declare. <see cref="ZipArchiveEntry.Open"/> stops
/// inflating at the declared size and checks no CRC, so a METADATA declared as 300 bytes that really inflates to
/// 1 GiB would be read as its first 300 bytes, and pip would later fail on the CRC. Here the member is located in the
/// central directory, its compressed bytes inflated until they end (or the limit is reached), and the result checked
/// against the declared size and CRC-32; any mismatch refuses the archive naming the member.
/// </summary>
internal static class ZipMemberReader
{
    private const uint LocalHeader = 0x04034b50;
    private const uint CentralHeader = 0x02014b50;
    private const uint EndOfDirectory = 0x06054b50;
    private const uint Zip64Locator = 0x07064b50;
    private const uint Zip64EndOfDirectory = 0x06064b50;

    private sealed record Record(ushort Flags, ushort Method, uint Crc, long CompressedSize, long Size, long LocalOffset);

    public static byte[] Read(Stream file, string member, InspectionLimits limits)
    {
        var record = Find(file, member);
        if ((record.Flags & 1) != 0)
        {
            throw new InvalidDataException($"{member} is encrypted");
        }
        if (record.Size > limits.MaxMetadataBytes)
        {
            throw new InspectionLimitExceededException($"{member} is larger than {limits.MaxMetadataBytes} bytes (it declares {record.Size})");
        }
        // Deflate never grows data by more than a few bytes per block: more compressed bytes than this cannot be an
        // acceptable member, so reading them into memory is bounded.
        var maxCompressed = limits.MaxMetadataBytes + limits.MaxMetadataBytes / 1000 + 1024;
        if (record.CompressedSize > maxCompressed)
        {
            throw new InspectionLimitExceededException($"{member} has {record.CompressedSize} compressed bytes; more than a member of at most {limits.MaxMetadataBytes} bytes can have");
        }
        var compressed = ReadAt(file, DataStart(file, record, member), (int)record.CompressedSize, member);
        var content = record.Method switch
        {
            0 => compressed,
            8 => Inflate(compressed, member, limits),
            _ => throw new InvalidDataException($"{member} uses zip compression method {record.Method}; only stored (0) and deflate (8) are read"),
        };
        if (content.Length > limits.MaxMetadataBytes)
        {
            throw new InspectionLimitExceededException($"{member} is larger than {limits.MaxMetadataBytes} bytes");
        }
        if (content.Length != record.Size)
        {
            throw new InspectionLimitExceededException(
                $"{member} declares {record.Size} bytes but really holds {content.Length}: the archive's headers are wrong; re-build it");
        }
        if (Crc32.Compute(content) != record.Crc)
        {
            throw new InspectionLimitExceededException($"{member} does not match its CRC-32: the archive is corrupt; re-build it");
        }
        return content;
    }

    private static byte[] Inflate(byte[] compressed, string member, InspectionLimits limits)
    {
        using var deflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var bounded = new BoundedReadStream(deflate, limits.MaxMetadataBytes, $"{member} is larger than {limits.MaxMetadataBytes} bytes", n =>
            n > limits.RatioCheckThresholdBytes && n / Math.Max(compressed.Length, 1) > limits.MaxCompressionRatio
                ? $"{member} decompresses more than {limits.MaxCompressionRatio} times its size (a compression bomb?)"
                : null);
        using var output = new MemoryStream();
        bounded.CopyTo(output);
        return output.ToArray();
    }

    private static Record Find(Stream file, string member)
    {
        var (offset, size, count) = Directory(file);
        var directory = ReadAt(file, offset, checked((int)size), "the central directory");
        var wanted = Encoding.UTF8.GetBytes(member);
        Record? found = null;
        var at = 0;
        for (long i = 0; i < count; i++)
        {
            var entry = directory.AsSpan(at);
            if (entry.Length < 46 || BinaryPrimitives.ReadUInt32LittleEndian(entry) != CentralHeader)
            {
                throw new InvalidDataException("the zip central directory is corrupt");
            }
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[32..]);
            var total = 46 + nameLength + extraLength + commentLength;
            if (entry.Length < total)
            {
                throw new InvalidDataException("the zip central directory is truncated");
            }
            if (entry.Slice(46, nameLength).SequenceEqual(wanted))
            {
                if (found is not null)
                {
                    throw new InvalidDataException($"the archive contains {member} twice");
                }
                found = Parse(entry, entry.Slice(46 + nameLength, extraLength));
            }
            at += total;
        }
        return found ?? throw new InvalidDataException($"{member} is not in the zip central directory");
    }

    private static Record Parse(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> extra)
    {
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(entry[20..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(entry[24..]);
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(entry[42..]);
        if (size == uint.MaxValue || compressed == uint.MaxValue || offset == uint.MaxValue)
        {
            // Zip64: the real values are in extra field 0x0001, in this order, only for the fields that overflowed.
            for (var i = 0; i + 4 <= extra.Length;)
            {
                int id = BinaryPrimitives.ReadUInt16LittleEndian(extra[i..]);
                int length = BinaryPrimitives.ReadUInt16LittleEndian(extra[(i + 2)..]);
                if (id == 1 && i + 4 + length <= extra.Length)
                {
                    var values = extra.Slice(i + 4, length);
                    var v = 0;
                    size = Next(values, ref v, size);
                    compressed = Next(values, ref v, compressed);
                    offset = Next(values, ref v, offset);
                }
                i += 4 + length;
            }
        }
        return new Record(BinaryPrimitives.ReadUInt16LittleEndian(entry[8..]), BinaryPrimitives.ReadUInt16LittleEndian(entry[10..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]), compressed, size, offset);
    }

    private static long Next(ReadOnlySpan<byte> values, ref int at, long value)
    {
        if (value != uint.MaxValue)
        {
            return value;
        }
        if (at + 8 > values.Length)
        {
            throw new InvalidDataException("a zip64 extra field is truncated");
        }
        var result = BinaryPrimitives.ReadInt64LittleEndian(values[at..]);
        at += 8;
        return result >= 0 ? result : throw new InvalidDataException("a zip64 size is negative");
    }

    private static (long Offset, long Size, long Count) Directory(Stream file)
    {
        var tail = (int)Math.Min(file.Length, 22 + ushort.MaxValue);
        var end = ReadAt(file, file.Length - tail, tail, "the end of the archive");
        for (var i = tail - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(i)) != EndOfDirectory)
            {
                continue;
            }
            long count = BinaryPrimitives.ReadUInt16LittleEndian(end.AsSpan(i + 10));
            long size = BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(i + 12));
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(end.AsSpan(i + 16));
            var eocd = file.Length - tail + i;
            if ((count == ushort.MaxValue || size == uint.MaxValue || offset == uint.MaxValue) && eocd >= 20)
            {
                var locator = ReadAt(file, eocd - 20, 20, "the zip64 locator");
                if (BinaryPrimitives.ReadUInt32LittleEndian(locator) == Zip64Locator)
                {
                    var record = ReadAt(file, BinaryPrimitives.ReadInt64LittleEndian(locator.AsSpan(8)), 56, "the zip64 end of central directory");
                    if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndOfDirectory)
                    {
                        throw new InvalidDataException("the zip64 end of central directory record is corrupt");
                    }
                    count = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(32));
                    size = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(40));
                    offset = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(48));
                }
            }
            if (offset < 0 || size < 0 || size > int.MaxValue || offset + size > eocd || count < 0)
            {
                throw new InvalidDataException("the zip central directory lies outside the archive");
            }
            return (offset, size, count);
        }
        throw new InvalidDataException("no zip end of central directory record");
    }

    private static long DataStart(Stream file, Record record, string member)
    {
        var header = ReadAt(file, record.LocalOffset, 30, $"the local header of {member}");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeader)
        {
            throw new InvalidDataException($"the local header of {member} is missing");
        }
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(26));
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
        var name = ReadAt(file, record.LocalOffset + 30, nameLength, $"the local header of {member}");
        if (!name.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(member)))
        {
            throw new InvalidDataException($"the local header of {member} names another file");
        }
        return record.LocalOffset + 30 + nameLength + extraLength;
    }

    private static byte[] ReadAt(Stream file, long offset, int count, string what)
    {
        if (offset < 0 || count < 0 || offset + count > file.Length)
        {
            throw new InvalidDataException($"{what} lies outside the archive");
        }
        file.Position = offset;
        var bytes = new byte[count];
        file.ReadExactly(bytes);
        return bytes;
    }
}
