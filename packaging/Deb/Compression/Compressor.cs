namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>Opens a compressing stream for a tar member, with dpkg-deb's default settings per compression.</summary>
internal static class Compressor
{
    /// <summary>
    /// Returns a write-only stream; disposing it finishes compression and leaves <paramref name="output"/> open.
    /// <paramref name="threads"/> only changes speed, never the bytes. <paramref name="length"/>, the exact number of
    /// bytes that will be written when the caller knows it, lets xz start no more threads than it has blocks.
    /// </summary>
    public static Stream Open(DebCompression compression, Stream output, int threads, long? length = null) => compression switch
    {
        DebCompression.Xz => new XzEncoderStream(output, threads, length),
        DebCompression.Zstd => new ZstdEncoderStream(output, threads),
        DebCompression.Gzip => new GzipEncoderStream(output, threads),
        DebCompression.None => new NonClosingStream(output),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };

    // Capped so xz (100 MB of encoder per thread at preset 6, plus two 24 MiB block buffers) stays within memory.
    public static int DefaultThreads => Math.Clamp(Environment.ProcessorCount, 1, 8);

    private sealed class NonClosingStream(Stream inner) : WriteOnlyStream
    {
        public override void Flush() => inner.Flush();

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
