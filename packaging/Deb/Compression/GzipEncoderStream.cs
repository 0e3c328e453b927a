using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Wheelhouse.Packaging.Deb.Compression;

/// <summary>
/// gzip (RFC 1952) through the system zlib at level 9, cut pigz-style into fixed 128 KiB chunks that are deflated on
/// several threads: each chunk is primed with the 32 KiB of input before it as a preset dictionary and ends with a sync
/// flush, so the chunks concatenate into one deflate stream any gunzip reads. The chunk size is fixed and a chunk's bytes
/// depend only on the input, so the output is the same for any thread count. Level 9 with two changes, measured on a
/// 110 MB .NET publish tree against dpkg-deb's level 9 at memLevel 8: memLevel 7, whose smaller Huffman blocks follow
/// the tree's mix of code and metadata more closely (0.6% smaller, 10% more time), and hash chains cut from 4096 to
/// 256 links (0.1% larger, 25% less time). Together: 0.3-0.4% smaller than dpkg-deb for a fifth less CPU, before the
/// threads. The header has no name and mtime 0; XFL 2 (best) and OS 3 (Unix), as gzip -9 writes them.
/// </summary>
internal sealed class GzipEncoderStream : WriteOnlyStream
{
    public const int Level = 9;
    public const int MemLevel = 7;
    public const int MaxChain = 256;
    public const int ChunkSize = 128 << 10;
    public const int DictionarySize = 32 << 10;

    private static readonly byte[] Header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3];

    private readonly Stream _inner;
    private readonly Queue<Job> _inFlight = new();
    private readonly BlockingCollection<Job>? _work;
    private readonly Thread[] _workers;
    private readonly int _maxInFlight;
    private byte[] _chunk;
    private int _dictionaryLength;
    private int _filled;
    private nuint _crc;
    private long _length;
    private bool _finished;

    public GzipEncoderStream(Stream inner, int threads)
    {
        _inner = inner;
        _chunk = ArrayPool<byte>.Shared.Rent(DictionarySize + ChunkSize);
        threads = Math.Clamp(threads, 1, 64);
        _maxInFlight = 2 * threads;
        if (threads == 1)
        {
            _workers = [];
        }
        else
        {
            _work = new BlockingCollection<Job>();
            _workers = Enumerable.Range(0, threads).Select(i => new Thread(Work) { IsBackground = true, Name = $"gzip {i}" }).ToArray();
            foreach (var worker in _workers)
            {
                worker.Start();
            }
        }

        _inner.Write(Header);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, ChunkSize - _filled);
            buffer[..take].CopyTo(_chunk.AsSpan(_dictionaryLength + _filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == ChunkSize)
            {
                Submit(last: false);
            }
        }
    }

    public override void Flush() => _inner.Flush();

    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && !_finished)
            {
                Submit(last: true);
                while (_inFlight.Count > 0)
                {
                    WriteOldest();
                }

                Span<byte> trailer = stackalloc byte[8];
                BinaryPrimitives.WriteUInt32LittleEndian(trailer, (uint)_crc);
                BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)_length);
                _inner.Write(trailer);
            }
        }
        finally
        {
            _finished = true;
            _work?.CompleteAdding();
            foreach (var worker in _workers)
            {
                worker.Join();
            }

            _work?.Dispose();
            base.Dispose(disposing);
        }
    }

    private void Submit(bool last)
    {
        var job = new Job(_chunk, _dictionaryLength, _filled, last);
        _inFlight.Enqueue(job);
        if (_work is null)
        {
            job.Run();
        }
        else
        {
            _work.Add(job);
        }

        // The next chunk starts with the last 32 KiB of this one as its dictionary.
        var next = ArrayPool<byte>.Shared.Rent(DictionarySize + ChunkSize);
        _dictionaryLength = Math.Min(DictionarySize, _dictionaryLength + _filled);
        _chunk.AsSpan(job.DictionaryLength + job.Length - _dictionaryLength, _dictionaryLength).CopyTo(next);
        _chunk = next;
        _filled = 0;
        while (_inFlight.Count >= _maxInFlight)
        {
            WriteOldest();
        }
    }

    private void WriteOldest()
    {
        var job = _inFlight.Dequeue();
        job.Done.Wait();
        job.Done.Dispose();
        ArrayPool<byte>.Shared.Return(job.Buffer);
        if (job.Error is not null)
        {
            throw new IOException($"gzip compression failed: {job.Error.Message}", job.Error);
        }

        _inner.Write(job.Output);
        _crc = _length == 0 ? job.Crc : LibZ.Crc32Combine(_crc, job.Crc, job.Length);
        _length += job.Length;
    }

    private void Work()
    {
        foreach (var job in _work!.GetConsumingEnumerable())
        {
            job.Run();
        }
    }

    /// <summary>One chunk: input (after its dictionary) in, a byte-aligned run of deflate blocks and its CRC-32 out.</summary>
    private sealed class Job(byte[] buffer, int dictionaryLength, int length, bool last)
    {
        public byte[] Buffer => buffer;

        public int DictionaryLength => dictionaryLength;

        public int Length => length;

        public ManualResetEventSlim Done { get; } = new();

        public byte[] Output { get; private set; } = [];

        public nuint Crc { get; private set; }

        public Exception? Error { get; private set; }

        public void Run()
        {
            var input = IntPtr.Zero;
            var output = IntPtr.Zero;
            var stream = default(LibZ.Stream);
            var started = false;
            try
            {
                input = Marshal.AllocHGlobal(dictionaryLength + length + 1);
                Marshal.Copy(buffer, 0, input, dictionaryLength + length);
                Check(LibZ.DeflateInit2(ref stream, Level, LibZ.Deflated, -15, MemLevel, LibZ.DefaultStrategy, LibZ.Version(), Marshal.SizeOf<LibZ.Stream>()), "deflateInit2");
                started = true;

                // zlib's level-9 good_length, max_lazy and nice_length; only the chain is shorter.
                Check(LibZ.DeflateTune(ref stream, 32, 258, 258, MaxChain), "deflateTune");
                if (dictionaryLength > 0)
                {
                    Check(LibZ.DeflateSetDictionary(ref stream, input, (uint)dictionaryLength), "deflateSetDictionary");
                }

                // deflateBound covers the data; the sync or final marker adds a few bytes more.
                var capacity = (int)LibZ.DeflateBound(ref stream, (nuint)length) + 64;
                output = Marshal.AllocHGlobal(capacity);
                stream.NextIn = input + dictionaryLength;
                stream.AvailIn = (uint)length;
                stream.NextOut = output;
                stream.AvailOut = (uint)capacity;
                var result = LibZ.Deflate(ref stream, last ? LibZ.Finish : LibZ.SyncFlush);
                if ((last ? result != LibZ.StreamEnd : result != LibZ.Ok) || stream.AvailIn != 0 || stream.AvailOut == 0)
                {
                    throw new IOException($"deflate returned {result} with {stream.AvailIn} bytes left");
                }

                Output = new byte[capacity - (int)stream.AvailOut];
                Marshal.Copy(output, Output, 0, Output.Length);
                Crc = LibZ.Crc32(LibZ.Crc32(0, IntPtr.Zero, 0), input + dictionaryLength, (uint)length);
            }
            catch (Exception e) when (e is IOException or DllNotFoundException or EntryPointNotFoundException or OutOfMemoryException)
            {
                Error = e is DllNotFoundException ? new InvalidOperationException("gzip compression needs libz.so.1 (Debian package zlib1g)", e) : e;
            }
            finally
            {
                if (started)
                {
                    // Only frees zlib's state; its status says nothing about the data already written.
                    _ = LibZ.DeflateEnd(ref stream);
                }

                Marshal.FreeHGlobal(input);
                Marshal.FreeHGlobal(output);
                Done.Set();
            }
        }

        private static void Check(int result, string what)
        {
            if (result != LibZ.Ok)
            {
                throw new IOException($"{what} returned {result}");
            }
        }
    }
}
