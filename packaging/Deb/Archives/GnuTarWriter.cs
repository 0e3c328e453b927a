using System.Text;

namespace Wheelhouse.Packaging.Deb.Archives;

/// <summary>
/// A minimal GNU-format tar writer (the format dpkg-deb emits): "ustar  " magic, octal fields, uname/gname root,
/// uid/gid 0, no device numbers, atime or ctime, GNU 'L'/'K' records for names and link targets over 100 bytes, and
/// two zero blocks plus padding to a 10240-byte record at the end, like GNU tar. Callers pass normalised names.
/// </summary>
internal sealed class GnuTarWriter
{
    public const int BlockSize = 512;
    public const int RecordSize = 20 * BlockSize;
    private const string LongLinkName = "././@LongLink";

    private readonly Stream _output;
    private readonly long _mtime;
    private readonly byte[] _copyBuffer = new byte[1 << 20];
    private long _written;

    public GnuTarWriter(Stream output, long mtime)
    {
        _output = output;
        _mtime = mtime;
    }

    public void AddDirectory(string name, int mode) => WriteHeaderWithLongRecords(name, TarEntryKind.Directory, mode, 0, "");

    public void AddSymlink(string name, string target) =>
        WriteHeaderWithLongRecords(name, TarEntryKind.Symlink, DebModes.Symlink, 0, target);

    /// <summary>Writes a regular file, copying exactly <paramref name="length"/> bytes and handing each chunk to <paramref name="observe"/>.</summary>
    public void AddFile(string name, int mode, Stream content, long length, Action<ReadOnlySpan<byte>>? observe = null)
    {
        WriteHeaderWithLongRecords(name, TarEntryKind.File, mode, length, "");
        var remaining = length;
        while (remaining > 0)
        {
            var read = content.Read(_copyBuffer, 0, (int)Math.Min(_copyBuffer.Length, remaining));
            if (read == 0)
            {
                throw new IOException($"{name} shrank while being archived: {remaining} of {length} bytes missing");
            }

            observe?.Invoke(_copyBuffer.AsSpan(0, read));
            Write(_copyBuffer.AsSpan(0, read));
            remaining -= read;
        }

        if (content.ReadByte() != -1)
        {
            throw new IOException($"{name} grew while being archived: more than {length} bytes");
        }

        PadToBlock(length);
    }

    /// <summary>The bytes <see cref="AddFile"/> (or AddDirectory, AddSymlink with size 0) writes for one entry.</summary>
    public static long EntryLength(string name, long size, string linkName)
    {
        static long Long(int length) => length > 100 ? BlockSize + Padded(length + 1) : 0;
        return Long(Encoding.UTF8.GetByteCount(linkName)) + Long(Encoding.UTF8.GetByteCount(name)) + BlockSize + Padded(size);
    }

    /// <summary>The length of the whole archive once <see cref="Finish"/> has added its end blocks and record padding.</summary>
    public static long FinishedLength(long entriesLength)
    {
        var total = entriesLength + (2 * BlockSize);
        return (total + RecordSize - 1) / RecordSize * RecordSize;
    }

    private static long Padded(long length) => (length + BlockSize - 1) / BlockSize * BlockSize;

    public void Finish()
    {
        Write(new byte[2 * BlockSize]);
        var tail = (int)(_written % RecordSize);
        if (tail != 0)
        {
            Write(new byte[RecordSize - tail]);
        }
    }

    internal static byte[] Header(string name, TarEntryKind kind, int mode, long size, long mtime, string linkName)
    {
        var header = new byte[BlockSize];
        PutString(header, 0, 100, name);
        PutOctal(header, 100, 8, mode);
        PutOctal(header, 108, 8, 0);
        PutOctal(header, 116, 8, 0);
        PutNumber(header, 124, 12, size);
        PutNumber(header, 136, 12, mtime);
        header[156] = (byte)kind;
        PutString(header, 157, 100, linkName);
        Encoding.ASCII.GetBytes("ustar  \0").CopyTo(header, 257);
        PutString(header, 265, 32, "root");
        PutString(header, 297, 32, "root");

        // The checksum is computed with its own field as eight spaces, then stored as six octal digits, NUL, space.
        Array.Fill(header, (byte)' ', 148, 8);
        var sum = header.Sum(b => (int)b);
        PutString(header, 148, 8, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        return header;
    }

    private void WriteHeaderWithLongRecords(string name, TarEntryKind kind, int mode, long size, string linkName)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var linkBytes = Encoding.UTF8.GetBytes(linkName);
        if (linkBytes.Length > 100)
        {
            WriteLongRecord(TarEntryKind.GnuLongLink, linkBytes);
        }

        if (nameBytes.Length > 100)
        {
            WriteLongRecord(TarEntryKind.GnuLongName, nameBytes);
        }

        Write(Header(name, kind, mode, size, _mtime, linkName));
    }

    private void WriteLongRecord(TarEntryKind kind, byte[] value)
    {
        // GNU tar writes these pseudo-entries with mode 0644, mtime 0 and the NUL terminator counted in the size.
        Write(Header(LongLinkName, kind, DebModes.Regular, value.Length + 1, 0, ""));
        Write(value);
        Write([0]);
        PadToBlock(value.Length + 1);
    }

    private void PadToBlock(long length)
    {
        var tail = (int)(length % BlockSize);
        if (tail != 0)
        {
            Write(new byte[BlockSize - tail]);
        }
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _written += bytes.Length;
    }

    private static void PutString(byte[] header, int offset, int width, string value)
    {
        // Names longer than the field are truncated here on purpose: the preceding GNU long record carries them.
        var bytes = Encoding.UTF8.GetBytes(value);
        Array.Copy(bytes, 0, header, offset, Math.Min(bytes.Length, width));
    }

    private static void PutOctal(byte[] header, int offset, int width, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(digits).CopyTo(header, offset);
        header[offset + width - 1] = 0;
    }

    private static void PutNumber(byte[] header, int offset, int width, long value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "tar numbers cannot be negative");
        }

        if (value < 1L << (3 * (width - 1)))
        {
            PutOctal(header, offset, width, value);
            return;
        }

        // GNU base-256 for values that do not fit in octal (files of 8 GiB and more).
        header[offset] = 0x80;
        for (var i = width - 1; i > 0; i--)
        {
            header[offset + i] = (byte)(value & 0xFF);
            value >>= 8;
        }
    }
}
