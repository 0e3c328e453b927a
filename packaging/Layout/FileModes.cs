using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Layout;

/// <summary>
/// Decides 0755 or 0644 for a published file. NuGet caches give every .dll an execute bit, so the bit alone
/// says little: only ELF programs (not shared objects) and #! scripts that carry it stay executable.
/// </summary>
public static class FileModes
{
    private static ReadOnlySpan<byte> ElfMagic => [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    public static int For(string path)
    {
        var info = new FileInfo(path);
        var hasExecuteBit = (info.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        return hasExecuteBit && IsProgram(path) ? DebModes.Executable : DebModes.Regular;
    }

    /// <summary>An ELF executable (ET_EXEC, or ET_DYN with a program interpreter) or a #! script.</summary>
    public static bool IsProgram(string path)
    {
        Span<byte> header = stackalloc byte[64];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read >= 2 && header[0] == '#' && header[1] == '!')
        {
            return true;
        }

        if (read < 64 || !header[..4].SequenceEqual(ElfMagic))
        {
            return false;
        }

        var type = BitConverter.ToUInt16(header[16..18]);
        const ushort executable = 2, sharedObject = 3;
        return type == executable || (type == sharedObject && HasInterpreter(path, header));
    }

    // A PIE program is ET_DYN like a library; what sets it apart is a PT_INTERP program header.
    private static bool HasInterpreter(string path, ReadOnlySpan<byte> header)
    {
        var is64 = header[4] == 2;
        if (!is64 || header[5] != 1) // only little-endian ELF64 is published for our runtimes
        {
            return !Path.GetFileName(path).Contains(".so", StringComparison.Ordinal);
        }

        var phoff = BitConverter.ToInt64(header[32..40]);
        var phentsize = BitConverter.ToUInt16(header[54..56]);
        var phnum = BitConverter.ToUInt16(header[56..58]);
        using var stream = File.OpenRead(path);
        var entry = new byte[phentsize];
        for (var i = 0; i < phnum; i++)
        {
            stream.Position = phoff + (long)i * phentsize;
            if (stream.ReadAtLeast(entry, entry.Length, throwOnEndOfStream: false) < 4)
            {
                return false;
            }

            const uint ptInterp = 3;
            if (BitConverter.ToUInt32(entry, 0) == ptInterp)
            {
                return true;
            }
        }
        return false;
    }
}
