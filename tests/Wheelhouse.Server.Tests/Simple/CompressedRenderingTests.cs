using System.IO.Compression;
using System.Text;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Tests.Simple;

public sealed class CompressedRenderingTests
{
    [Fact]
    public void A_rendering_is_compressed_once_whoever_asks()
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a href=\"demo/\">demo</a><br>\n", 200)));
        var first = CompressedRendering.For(body);
        var second = CompressedRendering.For(body);

        second.Should().BeSameAs(first);
        first.Body(ContentCoding.Gzip).Should().BeSameAs(second.Body(ContentCoding.Gzip));
        first.Body(ContentCoding.Brotli).Should().BeSameAs(second.Body(ContentCoding.Brotli));
        first.Body(ContentCoding.Gzip).Length.Should().BeLessThan(body.Length / 10);
        using var gzip = new GZipStream(new MemoryStream(first.Body(ContentCoding.Gzip)), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        output.ToArray().Should().Equal(body);
    }

    [Fact]
    public void Equal_renderings_share_an_etag_and_different_ones_do_not()
    {
        var a = CompressedRendering.For(Encoding.UTF8.GetBytes("<html>a</html>"));
        var sameContent = CompressedRendering.For(Encoding.UTF8.GetBytes("<html>a</html>"));
        var b = CompressedRendering.For(Encoding.UTF8.GetBytes("<html>b</html>"));

        sameContent.ETag(ContentCoding.Identity).Should().Be(a.ETag(ContentCoding.Identity));
        b.ETag(ContentCoding.Identity).Should().NotBe(a.ETag(ContentCoding.Identity));
        new[] { ContentCoding.Identity, ContentCoding.Gzip, ContentCoding.Brotli }.Select(a.ETag).Should().OnlyHaveUniqueItems();
    }
}
