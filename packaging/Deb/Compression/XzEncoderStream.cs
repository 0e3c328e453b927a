namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>
/// xz through liblzma's multithreaded encoder, preset 6 and CRC64 like dpkg-deb. The block size is fixed (3 x the
/// preset-6 dictionary, liblzma's own default), so the output is the same whatever the thread count: the threads only
/// decide how many fixed blocks are compressed at once.
/// </summary>
internal sealed class XzEncoderStream : NativeEncoderStream
{
    public const uint Preset = 6;
    public const ulong BlockSize = 24UL << 20;

    private LibLzma.Stream _stream;

    public XzEncoderStream(Stream inner, int threads)
        : base(inner)
    {
        var options = new LibLzma.MultiThreadOptions
        {
            Threads = (uint)Math.Clamp(threads, 1, 64),
            BlockSize = BlockSize,
            Preset = Preset,
            Check = LibLzma.CheckCrc64,
        };
        int result;
        try
        {
            result = LibLzma.StreamEncoderMt(ref _stream, ref options);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("xz compression needs liblzma.so.5 (Debian package liblzma5)", e);
        }

        if (result != LibLzma.Ok)
        {
            throw new IOException($"cannot start the xz encoder: {LibLzma.Describe(result)}");
        }
    }

    protected override void Encode(int length, bool finish)
    {
        _stream.NextIn = InBuffer;
        _stream.AvailIn = (nuint)length;
        while (true)
        {
            _stream.NextOut = OutBuffer;
            _stream.AvailOut = BufferSize;
            var result = LibLzma.Code(ref _stream, finish ? LibLzma.Finish : LibLzma.Run);
            Drain(BufferSize - (int)_stream.AvailOut);
            if (result == LibLzma.StreamEnd)
            {
                return;
            }

            if (result != LibLzma.Ok)
            {
                throw new IOException($"xz compression failed: {LibLzma.Describe(result)}");
            }

            if (!finish && _stream.AvailIn == 0 && _stream.AvailOut != 0)
            {
                return;
            }
        }
    }

    protected override void ReleaseEncoder() => LibLzma.End(ref _stream);
}
