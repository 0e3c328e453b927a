using System.Buffers.Binary;
using System.Text;
using Wheelhouse.Packaging.Dependencies;

namespace Wheelhouse.Packaging.Tests.Dependencies;

/// <summary>
/// Builds a minimal ELF64 shared object for the tests: header, one PT_LOAD covering the file at a non-zero virtual
/// address (so address-to-offset mapping is exercised), PT_DYNAMIC, a string table and a version-needed table.
/// </summary>
internal static class ElfBuilder
{
    private const ulong Base = 0x400000;

    public static byte[] Build(ElfMachine machine, bool littleEndian, IReadOnlyList<string> needed, string? soname, params (string File, string[] Versions)[] verneed)
    {
        var strtab = new MemoryStream();
        strtab.WriteByte(0);
        ulong Str(string s)
        {
            var at = (ulong)strtab.Length;
            strtab.Write(Encoding.UTF8.GetBytes(s));
            strtab.WriteByte(0);
            return at;
        }

        var neededOffsets = needed.Select(Str).ToList();
        var sonameOffset = soname is null ? (ulong?)null : Str(soname);
        var verneedNames = verneed.Select(v => (File: Str(v.File), Versions: v.Versions.Select(Str).ToList())).ToList();

        const int phoff = 64;
        const int phnum = 2;
        var dynOffset = phoff + (phnum * 56);
        var dynEntries = new List<(long Tag, ulong Value)>();
        dynEntries.AddRange(neededOffsets.Select(o => (1L, o)));
        if (sonameOffset is not null)
        {
            dynEntries.Add((14, sonameOffset.Value));
        }

        var dynCount = dynEntries.Count + 3 + (verneed.Length > 0 ? 2 : 0);
        var strOffset = dynOffset + (dynCount * 16);
        var verOffset = strOffset + (int)strtab.Length;
        dynEntries.Add((5, Base + (ulong)strOffset));
        dynEntries.Add((10, (ulong)strtab.Length));
        if (verneed.Length > 0)
        {
            dynEntries.Add((0x6ffffffe, Base + (ulong)verOffset));
            dynEntries.Add((0x6fffffff, (ulong)verneed.Length));
        }

        dynEntries.Add((0, 0));
        var verSize = verneedNames.Sum(v => 16 + (16 * v.Versions.Count));
        var total = verOffset + verSize;
        var data = new byte[total];
        void U16(int at, ushort v)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), v);
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), v);
            }
        }
        void U32(int at, uint v)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), v);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), v);
            }
        }
        void U64(int at, ulong v)
        {
            if (littleEndian)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(at), v);
            }
            else
            {
                BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(at), v);
            }
        }

        data[0] = 0x7f;
        data[1] = (byte)'E';
        data[2] = (byte)'L';
        data[3] = (byte)'F';
        data[4] = 2;
        data[5] = (byte)(littleEndian ? 1 : 2);
        data[6] = 1;
        U16(16, 3);
        U16(18, (ushort)machine);
        U32(20, 1);
        U64(32, phoff);
        U16(52, 64);
        U16(54, 56);
        U16(56, phnum);

        U32(phoff, 1);
        U64(phoff + 8, 0);
        U64(phoff + 16, Base);
        U64(phoff + 32, (ulong)total);
        U64(phoff + 40, (ulong)total);
        U32(phoff + 56, 2);
        U64(phoff + 56 + 8, (ulong)dynOffset);
        U64(phoff + 56 + 16, Base + (ulong)dynOffset);
        U64(phoff + 56 + 32, (ulong)(dynEntries.Count * 16));

        for (var i = 0; i < dynEntries.Count; i++)
        {
            U64(dynOffset + (i * 16), (ulong)dynEntries[i].Tag);
            U64(dynOffset + (i * 16) + 8, dynEntries[i].Value);
        }

        strtab.ToArray().CopyTo(data, strOffset);
        var at = verOffset;
        for (var n = 0; n < verneedNames.Count; n++)
        {
            var (file, versions) = verneedNames[n];
            var size = 16 + (16 * versions.Count);
            U16(at, 1);
            U16(at + 2, (ushort)versions.Count);
            U32(at + 4, (uint)file);
            U32(at + 8, 16);
            U32(at + 12, n == verneedNames.Count - 1 ? 0u : (uint)size);
            for (var k = 0; k < versions.Count; k++)
            {
                var aux = at + 16 + (16 * k);
                U32(aux + 8, (uint)versions[k]);
                U32(aux + 12, k == versions.Count - 1 ? 0u : 16u);
            }

            at += size;
        }

        return data;
    }
}
