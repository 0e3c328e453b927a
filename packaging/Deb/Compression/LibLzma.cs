using System.Runtime.InteropServices;

namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>
/// The few liblzma.so.5 entry points the xz encoder needs. .NET has no xz encoder; liblzma is always present where
/// dpkg is (dpkg itself links it). Struct layouts follow lzma/base.h and lzma/container.h of xz 5.x.
/// </summary>
internal static class LibLzma
{
    private const string Library = "liblzma.so.5";

    public const int Run = 0;
    public const int Finish = 3;
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int CheckCrc64 = 4;

    [StructLayout(LayoutKind.Sequential)]
    public struct Stream
    {
        public IntPtr NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public IntPtr NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public IntPtr Allocator;
        public IntPtr Internal;
        public IntPtr ReservedPtr1;
        public IntPtr ReservedPtr2;
        public IntPtr ReservedPtr3;
        public IntPtr ReservedPtr4;
        public ulong ReservedInt1;
        public ulong ReservedInt2;
        public nuint ReservedInt3;
        public nuint ReservedInt4;
        public int ReservedEnum1;
        public int ReservedEnum2;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MultiThreadOptions
    {
        public uint Flags;
        public uint Threads;
        public ulong BlockSize;
        public uint Timeout;
        public uint Preset;
        public IntPtr Filters;
        public int Check;
        public int ReservedEnum1;
        public int ReservedEnum2;
        public int ReservedEnum3;
        public uint ReservedInt1;
        public uint ReservedInt2;
        public uint ReservedInt3;
        public uint ReservedInt4;
        public ulong MemlimitThreading;
        public ulong MemlimitStop;
        public ulong ReservedInt7;
        public ulong ReservedInt8;
        public IntPtr ReservedPtr1;
        public IntPtr ReservedPtr2;
        public IntPtr ReservedPtr3;
        public IntPtr ReservedPtr4;
    }

    [DllImport(Library, EntryPoint = "lzma_stream_encoder_mt")]
    public static extern int StreamEncoderMt(ref Stream stream, ref MultiThreadOptions options);

    [DllImport(Library, EntryPoint = "lzma_code")]
    public static extern int Code(ref Stream stream, int action);

    [DllImport(Library, EntryPoint = "lzma_end")]
    public static extern void End(ref Stream stream);

    public static string Describe(int code) => code switch
    {
        5 => "LZMA_MEM_ERROR (out of memory)",
        6 => "LZMA_MEMLIMIT_ERROR",
        8 => "LZMA_OPTIONS_ERROR (unsupported options)",
        9 => "LZMA_DATA_ERROR",
        10 => "LZMA_BUF_ERROR",
        11 => "LZMA_PROG_ERROR",
        _ => $"liblzma error {code}",
    };
}
