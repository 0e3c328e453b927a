namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>
/// zstd through libzstd, level 3 (ZSTD_CLEVEL_DEFAULT, what dpkg-deb uses) with a content checksum, single-threaded
/// like dpkg-deb: at level 3 one core outruns the tar feeding it, and libzstd's multithreaded mode splits the input
/// into jobs that compress slightly worse. Single-threaded output cannot depend on the core count.
/// </summary>
internal sealed class ZstdEncoderStream : NativeEncoderStream
{
    public const int Level = 3;

    private readonly IntPtr _context;

    public ZstdEncoderStream(Stream inner)
        : base(inner)
    {
        try
        {
            _context = LibZstd.CreateContext();
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("zstd compression needs libzstd.so.1 (Debian package libzstd1)", e);
        }

        if (_context == IntPtr.Zero)
        {
            throw new IOException("cannot start the zstd encoder: ZSTD_createCCtx returned null");
        }

        LibZstd.Check(LibZstd.SetParameter(_context, LibZstd.ParameterCompressionLevel, Level), "setting the level");
        LibZstd.Check(LibZstd.SetParameter(_context, LibZstd.ParameterChecksumFlag, 1), "enabling the checksum");
    }

    protected override void Encode(int length, bool finish)
    {
        var input = new LibZstd.InBuffer { Source = InBuffer, Size = (nuint)length, Position = 0 };
        while (true)
        {
            var output = new LibZstd.OutBuffer { Destination = OutBuffer, Size = BufferSize, Position = 0 };
            var remaining = LibZstd.Check(
                LibZstd.CompressStream2(_context, ref output, ref input, finish ? LibZstd.EndEnd : LibZstd.EndContinue),
                "compression");
            Drain((int)output.Position);
            if (finish ? remaining == 0 : input.Position == input.Size)
            {
                return;
            }
        }
    }

    protected override void ReleaseEncoder() => LibZstd.FreeContext(_context);
}
