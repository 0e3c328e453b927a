using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Tests.Http;

public sealed class ContentCodingTests
{
    [Theory]
    [InlineData("", ContentCoding.Identity)]
    [InlineData("gzip, deflate", ContentCoding.Gzip)]
    [InlineData("gzip, deflate, br", ContentCoding.Brotli)]
    [InlineData("br;q=0, gzip", ContentCoding.Gzip)]
    [InlineData("gzip;q=0.5, br;q=0.4", ContentCoding.Gzip)]
    [InlineData("*", ContentCoding.Brotli)]
    [InlineData("identity", ContentCoding.Identity)]
    [InlineData("GZIP", ContentCoding.Gzip)]
    [InlineData("deflate", ContentCoding.Identity)]
    public void Accept_encoding_picks_the_best_coding_offered(string acceptEncoding, ContentCoding expected) =>
        ContentCodings.Choose(acceptEncoding).Should().Be(expected);
}
