using System.Runtime.InteropServices;

namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>The few libzstd.so.1 entry points the zstd encoder needs (zstd.h, stable API since 1.4.0).</summary>
internal static class LibZstd
{
    private const string Library = "libzstd.so.1";

    public const int ParameterCompressionLevel = 100;
    public const int ParameterContentSizeFlag = 200;
    public const int ParameterChecksumFlag = 201;
    public const int ParameterNbWorkers = 400;
    public const int ParameterOverlapLog = 402;

    public const int EndContinue = 0;
    public const int EndEnd = 2;

    [StructLayout(LayoutKind.Sequential)]
    public struct InBuffer
    {
        public IntPtr Source;
        public nuint Size;
        public nuint Position;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct OutBuffer
    {
        public IntPtr Destination;
        public nuint Size;
        public nuint Position;
    }

    [DllImport(Library, EntryPoint = "ZSTD_createCCtx")]
    public static extern IntPtr CreateContext();

    [DllImport(Library, EntryPoint = "ZSTD_freeCCtx")]
    public static extern nuint FreeContext(IntPtr context);

    [DllImport(Library, EntryPoint = "ZSTD_CCtx_setParameter")]
    public static extern nuint SetParameter(IntPtr context, int parameter, int value);

    [DllImport(Library, EntryPoint = "ZSTD_compressStream2")]
    public static extern nuint CompressStream2(IntPtr context, ref OutBuffer output, ref InBuffer input, int endOp);

    [DllImport(Library, EntryPoint = "ZSTD_isError")]
    public static extern uint IsError(nuint code);

    [DllImport(Library, EntryPoint = "ZSTD_getErrorName")]
    private static extern IntPtr GetErrorName(nuint code);

    public static nuint Check(nuint code, string what) =>
        IsError(code) != 0
            ? throw new IOException($"zstd {what} failed: {Marshal.PtrToStringAnsi(GetErrorName(code))}")
            : code;
}
