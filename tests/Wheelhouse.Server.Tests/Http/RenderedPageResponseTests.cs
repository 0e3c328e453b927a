using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Http;

/// <summary>
/// Simple pages and JSON views compressed when asked (gzip, brotli), simple pages with a strong ETag answered 304 on
/// If-None-Match and a short revalidating Cache-Control (issue 9, item 11).
/// </summary>
[Integration]
public sealed class RenderedPageResponseTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "dev");
        await _server.UploadWheelAsync("team/dev", "team", "demo", "1.0");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("team/dev/+simple/", "text/html", "gzip")]
    [InlineData("team/dev/+simple/demo/", "text/html", "gzip")]
    [InlineData("team/dev/+simple/demo/", "application/vnd.pypi.simple.v1+json", "gzip")]
    [InlineData("team/dev/+simple/", "application/vnd.pypi.simple.v1+json", "br")]
    [InlineData("team/dev/+simple/demo/", "text/html", "br")]
    public async Task Simple_pages_are_compressed_when_asked_and_decompress_to_the_plain_page(string path, string accept, string coding)
    {
        var (plain, plainResponse) = await GetAsync(path, accept, null);
        var (compressed, response) = await GetAsync(path, accept, coding);

        response.Content.Headers.ContentEncoding.Should().Equal(coding);
        compressed.Length.Should().Be((int)response.Content.Headers.ContentLength!.Value);
        Decompress(compressed, coding).Should().Equal(plain);
        response.Headers.Vary.Should().Contain(["Accept", "Accept-Encoding"]);
        plainResponse.Headers.Vary.Should().Contain(["Accept", "Accept-Encoding"]);
        plainResponse.Content.Headers.ContentEncoding.Should().BeEmpty();
        response.Headers.ETag.Should().NotBeNull();
        response.Headers.ETag!.IsWeak.Should().BeFalse();
        response.Headers.ETag.Should().NotBe(plainResponse.Headers.ETag, "a strong validator differs between encodings");
    }

    [Theory]
    [InlineData("team/dev/+simple/", null)]
    [InlineData("team/dev/+simple/demo/", null)]
    [InlineData("team/dev/+simple/demo/", "gzip")]
    public async Task A_matching_if_none_match_is_answered_304_until_the_page_changes(string path, string? coding)
    {
        var (_, first) = await GetAsync(path, "text/html", coding);
        var etag = first.Headers.ETag!;

        var (body, again) = await GetAsync(path, "text/html", coding, etag.Tag);
        again.StatusCode.Should().Be(HttpStatusCode.NotModified);
        body.Should().BeEmpty();
        again.Headers.ETag.Should().Be(etag);
        again.Headers.CacheControl.Should().NotBeNull();

        var (_, other) = await GetAsync(path, "text/html", coding, "\"something-else\"");
        other.StatusCode.Should().Be(HttpStatusCode.OK);

        await _server.UploadWheelAsync("team/dev", "team", "demo", "2.0");
        await _server.UploadWheelAsync("team/dev", "team", "extra", "1.0");
        var (changed, afterUpload) = await GetAsync(path, "text/html", coding, etag.Tag);
        afterUpload.StatusCode.Should().Be(HttpStatusCode.OK, "the upload changed the page");
        changed.Should().NotBeEmpty();
        afterUpload.Headers.ETag.Should().NotBe(etag);
    }

    [Theory]
    [InlineData("team/dev/+simple/")]
    [InlineData("team/dev/+simple/demo/")]
    public async Task Simple_pages_may_be_cached_briefly_and_then_revalidated(string path)
    {
        var (_, response) = await GetAsync(path, "text/html", null);
        var cacheControl = response.Headers.CacheControl!;
        cacheControl.MaxAge.Should().NotBeNull().And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(10));
        cacheControl.MustRevalidate.Should().BeTrue();
        cacheControl.Public.Should().BeTrue();
    }

    [Fact]
    public async Task The_same_etag_comes_back_for_the_same_rendering()
    {
        var (_, first) = await GetAsync("team/dev/+simple/demo/", "text/html", "br");
        var (_, second) = await GetAsync("team/dev/+simple/demo/", "text/html", "br");
        second.Headers.ETag.Should().Be(first.Headers.ETag);
    }

    [Theory]
    [InlineData("team/dev", "gzip")]
    [InlineData("team/dev/demo", "br")]
    [InlineData("", "gzip")]
    public async Task Json_views_are_compressed_when_asked(string path, string coding)
    {
        var (plain, _) = await GetAsync(path, "application/json", null);
        var (compressed, response) = await GetAsync(path, "application/json", coding);
        response.Content.Headers.ContentEncoding.Should().Equal(coding);
        Decompress(compressed, coding).Should().Equal(plain);
    }

    [Fact]
    public async Task Release_files_keep_their_immutable_cache_control_and_are_not_compressed_again()
    {
        var (page, _) = await GetAsync("team/dev/+simple/demo/", "text/html", null);
        var href = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.UTF8.GetString(page), "href=\"([^\"#]+)").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(_server.BaseUrl + "/team/dev/+simple/demo/"), href));
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var response = await _server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.Should().BeEmpty("a wheel is a zip already");
        response.Headers.CacheControl!.ToString().Should().Contain("immutable");
    }

    private async Task<(byte[] Body, HttpResponseMessage Response)> GetAsync(string path, string accept, string? coding, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        request.Headers.UserAgent.ParseAdd("pip/24.0");
        if (coding is not null)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(coding));
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(ifNoneMatch));
        }
        var response = await _server.Client.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync(), response);
    }

    private static byte[] Decompress(byte[] body, string coding)
    {
        using Stream decoder = coding == "br" ? new BrotliStream(new MemoryStream(body), CompressionMode.Decompress) : new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
