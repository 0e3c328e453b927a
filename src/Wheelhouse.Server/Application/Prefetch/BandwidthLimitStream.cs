using System.Diagnostics;

namespace Wheelhouse.Server.Application.Prefetch;

/// <summary>
/// A write-only stream that keeps nothing and holds each write back until the bytes so far fit the rate: handed to the
/// mirror file fetcher as its "client", it paces the download itself (the fetcher reads the next chunk only after the
/// write), so a pre-fetch run never takes more than its <c>prefetch_bandwidth</c> from the upstream link.
/// </summary>
public sealed class BandwidthLimitStream(long bytesPerSecond) : Stream
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var total = Interlocked.Add(ref _bytes, buffer.Length);
        if (bytesPerSecond <= 0)
        {
            return;
        }
        var due = TimeSpan.FromSeconds((double)total / bytesPerSecond) - _clock.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
