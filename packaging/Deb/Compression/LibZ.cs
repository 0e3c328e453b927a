using System.Runtime.InteropServices;

namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>
/// The few libz.so.1 entry points the gzip encoder needs. The system zlib rather than .NET's bundled zlib-ng: it is the
/// very deflate dpkg-deb uses (so sizes compare like for like), it takes a memLevel and a preset dictionary, and zlib1g
/// is on every Debian system (dpkg depends on it). Struct layout from zlib.h for LP64 (uLong is 64-bit).
/// </summary>
internal static class LibZ
{
    private const string Library = "libz.so.1";

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int SyncFlush = 2;
    public const int Finish = 4;
    public const int Deflated = 8;
    public const int DefaultStrategy = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct Stream
    {
        public IntPtr NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public IntPtr NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public IntPtr Message;
        public IntPtr State;
        public IntPtr Alloc;
        public IntPtr Free;
        public IntPtr Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    [DllImport(Library, EntryPoint = "zlibVersion")]
    public static extern IntPtr Version();

    [DllImport(Library, EntryPoint = "deflateInit2_")]
    public static extern int DeflateInit2(ref Stream stream, int level, int method, int windowBits, int memLevel, int strategy, IntPtr version, int streamSize);

    [DllImport(Library, EntryPoint = "deflateTune")]
    public static extern int DeflateTune(ref Stream stream, int goodLength, int maxLazy, int niceLength, int maxChain);

    [DllImport(Library, EntryPoint = "deflateSetDictionary")]
    public static extern int DeflateSetDictionary(ref Stream stream, IntPtr dictionary, uint length);

    [DllImport(Library, EntryPoint = "deflateBound")]
    public static extern nuint DeflateBound(ref Stream stream, nuint sourceLength);

    [DllImport(Library, EntryPoint = "deflate")]
    public static extern int Deflate(ref Stream stream, int flush);

    [DllImport(Library, EntryPoint = "deflateEnd")]
    public static extern int DeflateEnd(ref Stream stream);

    [DllImport(Library, EntryPoint = "crc32")]
    public static extern nuint Crc32(nuint crc, IntPtr buffer, uint length);

    [DllImport(Library, EntryPoint = "crc32_combine")]
    public static extern nuint Crc32Combine(nuint crc1, nuint crc2, long length2);
}
