using System.Runtime.InteropServices;

namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>
/// Base of the write-only streams that push bytes through a native encoder: input is copied into a native buffer,
/// the encoder fills a native output buffer that is drained to the inner stream. Disposing finishes the frame and
/// leaves the inner stream open.
/// </summary>
internal abstract class NativeEncoderStream : WriteOnlyStream
{
    protected const int BufferSize = 1 << 20;

    private readonly Stream _inner;
    private readonly byte[] _managedOut = new byte[BufferSize];
    private bool _finished;

    protected NativeEncoderStream(Stream inner)
    {
        _inner = inner;
        InBuffer = Marshal.AllocHGlobal(BufferSize);
        OutBuffer = Marshal.AllocHGlobal(BufferSize);
    }

    protected IntPtr InBuffer { get; }

    protected IntPtr OutBuffer { get; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            var chunk = Math.Min(buffer.Length, BufferSize);
            CopyToNative(buffer[..chunk]);
            Encode(chunk, finish: false);
            buffer = buffer[chunk..];
        }
    }

    public override void Flush() => _inner.Flush();

    /// <summary>Feeds <paramref name="length"/> bytes from <see cref="InBuffer"/> (or none, to finish) to the encoder.</summary>
    protected abstract void Encode(int length, bool finish);

    protected abstract void ReleaseEncoder();

    /// <summary>Moves <paramref name="length"/> encoded bytes from <see cref="OutBuffer"/> to the inner stream.</summary>
    protected void Drain(int length)
    {
        if (length > 0)
        {
            Marshal.Copy(OutBuffer, _managedOut, 0, length);
            _inner.Write(_managedOut, 0, length);
        }
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !_finished)
            {
                Encode(0, finish: true);
            }
        }
        finally
        {
            if (!_finished)
            {
                _finished = true;
                ReleaseEncoder();
                Marshal.FreeHGlobal(InBuffer);
                Marshal.FreeHGlobal(OutBuffer);
            }

            base.Dispose(disposing);
        }
    }

    private void CopyToNative(ReadOnlySpan<byte> bytes)
    {
        // Span overload of Marshal.Copy needs an array; one array copy per MiB is noise next to compression.
        var array = System.Buffers.ArrayPool<byte>.Shared.Rent(bytes.Length);
        try
        {
            bytes.CopyTo(array);
            Marshal.Copy(array, 0, InBuffer, bytes.Length);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(array);
        }
    }
}
