using System.Buffers.Binary;
using System.Text;

namespace Wheelhouse.Packaging.Dependencies;

/// <summary>
/// A small reader for ELF64 objects (System V gABI; both byte orders, any machine): program headers, the dynamic
/// section's DT_NEEDED/DT_SONAME, PT_INTERP and the GNU version-needed table. Only reads, never loads.
/// </summary>
public static class ElfReader
{
    private const uint PtLoad = 1;
    private const uint PtDynamic = 2;
    private const uint PtInterp = 3;
    private const long DtNull = 0;
    private const long DtNeeded = 1;
    private const long DtStrtab = 5;
    private const long DtStrsz = 10;
    private const long DtSoname = 14;
    private const long DtVerneed = 0x6ffffffe;
    private const long DtVerneednum = 0x6fffffff;

    /// <summary>True if the file starts with the ELF magic (so it is worth reading).</summary>
    public static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && IsElf(magic);
    }

    public static ElfFile Read(string path)
    {
        try
        {
            return Parse(path, File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: truncated or corrupt ELF file ({e.Message})", e);
        }
    }

    public static ElfFile Parse(string path, byte[] data)
    {
        if (data.Length < 64 || !IsElf(data))
        {
            throw new InvalidDataException($"{path}: not an ELF file");
        }

        if (data[4] != 2)
        {
            throw new InvalidDataException($"{path}: ELF class {data[4]} is not supported; only 64-bit (ELFCLASS64) objects are");
        }

        var little = data[5] switch
        {
            1 => true,
            2 => false,
            _ => throw new InvalidDataException($"{path}: unknown ELF byte order {data[5]}"),
        };
        var reader = new Fields(data, little);
        var machine = reader.U16(18);
        var phoff = (long)reader.U64(32);
        var phentsize = reader.U16(54);
        var phnum = reader.U16(56);
        if (phentsize < 56 && phnum > 0)
        {
            throw new InvalidDataException($"{path}: program header entries of {phentsize} bytes are too small");
        }

        var loads = new List<(ulong Vaddr, ulong Offset, ulong Size)>();
        (long Offset, long Size)? dynamic = null;
        string? interpreter = null;
        for (var i = 0; i < phnum; i++)
        {
            var at = checked((int)(phoff + (i * phentsize)));
            var type = reader.U32(at);
            var offset = reader.U64(at + 8);
            var vaddr = reader.U64(at + 16);
            var fileSize = reader.U64(at + 32);
            switch (type)
            {
                case PtLoad:
                    loads.Add((vaddr, offset, fileSize));
                    break;
                case PtDynamic:
                    dynamic = ((long)offset, (long)fileSize);
                    break;
                case PtInterp:
                    interpreter = CString(data, checked((int)offset));
                    break;
            }
        }

        var empty = new Dictionary<string, IReadOnlyList<string>>();
        if (dynamic is null)
        {
            return new ElfFile(path, machine, true, [], null, interpreter, empty);
        }

        var neededOffsets = new List<ulong>();
        ulong? sonameOffset = null, strtab = null, verneed = null;
        ulong verneedCount = 0;
        for (var at = dynamic.Value.Offset; at + 16 <= dynamic.Value.Offset + dynamic.Value.Size; at += 16)
        {
            var tag = (long)reader.U64(checked((int)at));
            var value = reader.U64(checked((int)at + 8));
            if (tag == DtNull)
            {
                break;
            }

            switch (tag)
            {
                case DtNeeded:
                    neededOffsets.Add(value);
                    break;
                case DtSoname:
                    sonameOffset = value;
                    break;
                case DtStrtab:
                    strtab = value;
                    break;
                case DtStrsz:
                    break;
                case DtVerneed:
                    verneed = value;
                    break;
                case DtVerneednum:
                    verneedCount = value;
                    break;
            }
        }

        if (strtab is null)
        {
            if (neededOffsets.Count > 0)
            {
                throw new InvalidDataException($"{path}: dynamic section has DT_NEEDED entries but no DT_STRTAB");
            }

            return new ElfFile(path, machine, true, [], null, interpreter, empty);
        }

        var strings = ToFileOffset(path, loads, strtab.Value);
        string Str(ulong offset) => CString(data, checked((int)(strings + (long)offset)));

        var versions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (verneed is not null)
        {
            var entry = ToFileOffset(path, loads, verneed.Value);
            for (ulong n = 0; n < verneedCount; n++)
            {
                var at = checked((int)entry);
                var count = reader.U16(at + 2);
                var file = Str(reader.U32(at + 4));
                var aux = at + (long)reader.U32(at + 8);
                var names = new List<string>();
                for (var k = 0; k < count; k++)
                {
                    names.Add(Str(reader.U32(checked((int)aux + 8))));
                    aux += reader.U32(checked((int)aux + 12));
                }

                versions[file] = names;
                var next = reader.U32(at + 12);
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return new ElfFile(
            path,
            machine,
            true,
            neededOffsets.Select(Str).ToList(),
            sonameOffset is null ? null : Str(sonameOffset.Value),
            interpreter,
            versions);
    }

    private static bool IsElf(ReadOnlySpan<byte> data) => data[0] == 0x7f && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F';

    private static long ToFileOffset(string path, List<(ulong Vaddr, ulong Offset, ulong Size)> loads, ulong address)
    {
        foreach (var (vaddr, offset, size) in loads)
        {
            if (address >= vaddr && address < vaddr + size)
            {
                return (long)(address - vaddr + offset);
            }
        }

        throw new InvalidDataException($"{path}: address 0x{address:x} of a dynamic table is outside every PT_LOAD segment");
    }

    private static string CString(byte[] data, int offset)
    {
        var rest = data.AsSpan(offset);
        var end = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }

    private readonly struct Fields(byte[] data, bool little)
    {
        private readonly byte[] _data = data;

        public ushort U16(int at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(at));

        public uint U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(at));

        public ulong U64(int at) => little ? BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(at)) : BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(at));
    }
}
