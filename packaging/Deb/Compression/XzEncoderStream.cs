namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>
/// xz through liblzma's multithreaded encoder, preset 6, CRC64 and 24 MiB blocks (liblzma's default for preset 6, 3 x
/// its dictionary), exactly as dpkg-deb: the block layout is fixed, so the output is the same whatever the thread
/// count; the threads only decide how many blocks are compressed at once. Measured on a 110 MB publish tree (2 cores,
/// quiet): an even split into 4 blocks of 28 MB was 0.3% smaller but 6% slower (its blocks took unequal times, where
/// 4 x 24 MiB + 11 MB let the free core take the short one), 6 blocks of 18.6 MB was larger and no faster, and x86
/// BCJ was 1.1% smaller at the same speed but is left out: it would help amd64 only (ARM64 BCJ needs liblzma 5.4 on
/// the target) and not every .deb reader decodes BCJ.
/// </summary>
internal sealed class XzEncoderStream : NativeEncoderStream
{
    public const uint Preset = 6;
    public const ulong BlockSize = 24UL << 20;

    private LibLzma.Stream _stream;

    /// <param name="length">The number of bytes that will be written, when known: no more threads than blocks are started.</param>
    public XzEncoderStream(Stream inner, int threads, long? length = null)
        : base(inner)
    {
        var blocks = length is { } total ? Math.Max(1, (total + (long)BlockSize - 1) / (long)BlockSize) : long.MaxValue;
        var options = new LibLzma.MultiThreadOptions
        {
            // More threads than blocks would only allocate encoders (about 100 MB each) that never run.
            Threads = (uint)Math.Clamp(Math.Min(threads, blocks), 1, 64),
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
