using System.IO.Compression;

namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>Opens a compressing stream for a tar member, with dpkg-deb's default settings per compression.</summary>
internal static class Compressor
{
    /// <summary>dpkg-deb's default gzip level.</summary>
    public const int GzipLevel = 9;

    /// <summary>
    /// Returns a write-only stream; disposing it finishes compression and leaves <paramref name="output"/> open.
    /// <paramref name="threads"/> only changes speed, never the bytes.
    /// </summary>
    public static Stream Open(DebCompression compression, Stream output, int threads) => compression switch
    {
        DebCompression.Xz => new XzEncoderStream(output, threads),
        DebCompression.Zstd => new ZstdEncoderStream(output, threads),

        // .NET's gzip header carries no file name and an mtime of 0; only the level is ours to set.
        DebCompression.Gzip => new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = GzipLevel }, leaveOpen: true),
        DebCompression.None => new NonClosingStream(output),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };

    // Capped so xz (about 150 MB per thread at preset 6 with 24 MiB blocks) stays within memory on big machines.
    public static int DefaultThreads => Math.Clamp(Environment.ProcessorCount, 1, 8);

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
