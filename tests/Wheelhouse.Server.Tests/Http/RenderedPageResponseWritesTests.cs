using Microsoft.AspNetCore.Http;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Tests.Http;

/// <summary>
/// How a rendered page reaches the connection: a large one (a project list of 100,000 names is 5 MB) in slices, so
/// Kestrel's buffers hold a slice per connection rather than a copy of the page (issue 14, resident memory).
/// </summary>
public sealed class RenderedPageResponseWritesTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(64 * 1024)]
    [InlineData((64 * 1024) + 1)]
    [InlineData(5_000_000)]
    public async Task A_page_is_written_whole_in_writes_of_at_most_64_KiB(int size)
    {
        var page = new byte[size];
        new Random(size).NextBytes(page);
        var body = new RecordingStream();
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Response.Body = body;

        await RenderedPageResponse.WriteAsync(context, "text/html", page);

        body.ToArray().Should().Equal(page);
        context.Response.ContentLength.Should().Be(size);
        body.Writes.Should().OnlyContain(w => w <= 64 * 1024);
        body.Writes.Should().HaveCount((size + (64 * 1024) - 1) / (64 * 1024));
    }

    /// <summary>Records the size of each write it is handed, however the writer calls it.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _content = new();

        public List<int> Writes { get; } = [];

        public byte[] ToArray() => _content.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _content.Length;

        public override long Position { get => _content.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes.Add(count);
            _content.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.Length);
            _content.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
