namespace Wheelhouse.Core.Distributions;

/// <summary>
/// A read-only view that counts the bytes read through it and stops the read with
/// <see cref="InspectionLimitExceededException"/> once a budget is spent, whatever the archive headers claim.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long maxBytes, string overflowMessage, Func<long, string?>? check = null) : Stream
{
    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Count(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Count(int n)
    {
        BytesRead += n;
        if (BytesRead > maxBytes)
        {
            throw new InspectionLimitExceededException(overflowMessage);
        }
        if (check?.Invoke(BytesRead) is { } problem)
        {
            throw new InspectionLimitExceededException(problem);
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Raised inside a read to abandon an archive that exceeds a limit; turned into a failure result.</summary>
internal sealed class InspectionLimitExceededException(string message) : Exception(message);
