using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Endpoints;

[Integration]
public sealed class UploadTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(o => o with { MaxUploadSize = 200_000 });
        await _server.CreateUserAsync("team");
        await _server.CreateUserAsync("other");
        await _server.CreateIndexAsync("team", "dev");
        await _server.CreateIndexAsync("team", "prod", """{"volatile": false}""");
        await _server.CreateIndexAsync("team", "final", """{"refuse_prereleases": true}""");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> UploadAsync(string index, HttpContent form, string? user = "team")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{index}/") { Content = form };
        if (user is not null)
        {
            request.Headers.Authorization = TestServer.Basic(user, UserAndAuthTests.Password(user)!);
        }
        return await _server.Client.SendAsync(request);
    }

    private async Task<HttpStatusCode> ProjectPageStatusAsync(string index, string project)
    {
        using var response = await _server.Client.GetAsync($"{index}/+simple/{project}/");
        return response.StatusCode;
    }

    private async Task ShouldBeRefused(HttpResponseMessage response, HttpStatusCode status, string message, string project = "demo")
    {
        response.StatusCode.Should().Be(status);
        (await response.Content.ReadAsStringAsync()).Should().Contain(message);
        (await ProjectPageStatusAsync("team/dev", project)).Should().Be(HttpStatusCode.NotFound, "a refused upload stores nothing");
        Directory.EnumerateFiles(Path.Combine(_server.DataDirectory, "+files"), "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task A_wheel_upload_is_stored_and_listed_with_its_hash()
    {
        var wheel = Distributions.Wheel("demo", "1.0");
        using var response = await UploadAsync("team/dev", Distributions.Form("demo", "1.0", wheel, Distributions.WheelName("demo", "1.0"),
            ("sha256_digest", Distributions.Sha256(wheel))));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var page = await _server.Client.GetStringAsync("team/dev/+simple/demo/");
        page.Should().Contain("#sha256=" + Distributions.Sha256(wheel)).And.Contain("data-requires-python=\"&gt;=3.8\"");
    }

    [Fact]
    public async Task Anonymous_upload_is_challenged_and_stores_nothing()
    {
        var wheel = Distributions.Wheel("demo", "1.0");
        using var response = await UploadAsync("team/dev", Distributions.Form("demo", "1.0", wheel, Distributions.WheelName("demo", "1.0")), user: null);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Basic realm=\"pypi\"");
        await ShouldBeRefused(response, HttpStatusCode.Unauthorized, "authentication required");
    }

    [Fact]
    public async Task Upload_without_the_right_is_forbidden_and_stores_nothing()
    {
        var wheel = Distributions.Wheel("demo", "1.0");
        using var response = await UploadAsync("team/dev", Distributions.Form("demo", "1.0", wheel, Distributions.WheelName("demo", "1.0")), user: "other");
        await ShouldBeRefused(response, HttpStatusCode.Forbidden, "may not upload");
    }

    [Fact]
    public async Task Acl_upload_can_open_an_index_to_authenticated_users()
    {
        using var patch = await _server.SendAsync(HttpMethod.Patch, "team/dev", "team", "team-pw", """["acl_upload+=:AUTHENTICATED:"]""");
        patch.StatusCode.Should().Be(HttpStatusCode.OK);
        var wheel = Distributions.Wheel("demo", "1.0");
        using var response = await UploadAsync("team/dev", Distributions.Form("demo", "1.0", wheel, Distributions.WheelName("demo", "1.0")), user: "other");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Non_volatile_index_refuses_different_content_and_accepts_identical()
    {
        var first = Distributions.Wheel("demo", "1.0");
        var second = Distributions.Wheel("demo", "1.0", requiresPython: ">=3.9");
        var name = Distributions.WheelName("demo", "1.0");
        (await UploadAsync("team/prod", Distributions.Form("demo", "1.0", first, name))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await UploadAsync("team/prod", Distributions.Form("demo", "1.0", first, name))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var conflict = await UploadAsync("team/prod", Distributions.Form("demo", "1.0", second, name));
        conflict.StatusCode.Should().Be(HttpStatusCode.Conflict);
        conflict.ReasonPhrase.Should().Be($"{name} already exists in non-volatile index");
        (await _server.Client.GetStringAsync("team/prod/+simple/demo/")).Should().Contain(Distributions.Sha256(first));
    }

    [Fact]
    public async Task Volatile_index_replaces_a_file()
    {
        var name = Distributions.WheelName("demo", "1.0");
        (await UploadAsync("team/dev", Distributions.Form("demo", "1.0", Distributions.Wheel("demo", "1.0"), name))).StatusCode.Should().Be(HttpStatusCode.OK);
        var second = Distributions.Wheel("demo", "1.0", requiresPython: ">=3.10");
        (await UploadAsync("team/dev", Distributions.Form("demo", "1.0", second, name))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _server.Client.GetStringAsync("team/dev/+simple/demo/")).Should().Contain(Distributions.Sha256(second));
    }

    [Theory]
    [InlineData("1.0rc1")]
    [InlineData("1.0.dev3")]
    public async Task Pre_release_refusal_names_version_and_option(string version)
    {
        using var response = await UploadAsync("team/final", Distributions.Form("demo", version, Distributions.Wheel("demo", version), Distributions.WheelName("demo", version)));
        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).Should().Contain(version).And.Contain("refuse_prereleases");
        (await ProjectPageStatusAsync("team/final", "demo")).Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Malformed_multipart_is_refused()
    {
        var body = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\":action\"\r\n\r\nfile_upload\r\n--xyz\r\ngarbage", Encoding.UTF8);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        await ShouldBeRefused(await UploadAsync("team/dev", body), HttpStatusCode.BadRequest, "malformed multipart");
    }

    [Fact]
    public async Task Non_multipart_body_is_refused()
    {
        await ShouldBeRefused(await UploadAsync("team/dev", new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "multipart/form-data");
    }

    [Theory]
    [InlineData("../demo-1.0-py3-none-any.whl")]
    [InlineData("sub/demo-1.0-py3-none-any.whl")]
    [InlineData("sub\\demo-1.0-py3-none-any.whl")]
    [InlineData("demo-1.0..-py3-none-any.whl")]
    public async Task File_names_with_path_separators_or_dotdot_are_refused(string fileName)
    {
        var form = Distributions.Form("demo", "1.0", Distributions.Wheel("demo", "1.0"), "placeholder");
        var content = form.Last(p => p.Headers.ContentDisposition!.Name!.Trim('"') == "content");
        content.Headers.ContentDisposition!.FileName = "\"" + fileName.Replace("\\", "\\\\") + "\"";
        content.Headers.ContentDisposition.FileNameStar = null;
        await ShouldBeRefused(await UploadAsync("team/dev", form), HttpStatusCode.BadRequest, "path separators");
    }

    [Fact]
    public async Task File_name_must_match_name_and_version()
    {
        await ShouldBeRefused(await UploadAsync("team/dev", Distributions.Form("demo", "2.0", Distributions.Wheel("demo", "1.0"), Distributions.WheelName("demo", "1.0"))),
            HttpStatusCode.BadRequest, "does not match");
    }

    [Fact]
    public async Task Metadata_must_match_the_form()
    {
        var wheel = Distributions.Wheel("demo", "1.0", metadataVersion: "1.1");
        var response = await UploadAsync("team/dev", Distributions.Form("demo", "1.0", wheel, Distributions.WheelName("demo", "1.0")));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ProjectPageStatusAsync("team/dev", "demo")).Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Corrupt_archive_is_refused()
    {
        await ShouldBeRefused(await UploadAsync("team/dev", Distributions.Form("demo", "1.0", Encoding.ASCII.GetBytes("this is not a zip file at all"), Distributions.WheelName("demo", "1.0"))),
            HttpStatusCode.BadRequest, Distributions.WheelName("demo", "1.0"));
    }

    [Fact]
    public async Task Zip_bomb_metadata_is_refused()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("demo-1.0.dist-info/METADATA", CompressionLevel.SmallestSize);
            using var s = entry.Open();
            s.Write(Encoding.ASCII.GetBytes("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nSummary: "));
            var zeros = new byte[1 << 20];
            Array.Fill(zeros, (byte)'a');
            for (var i = 0; i < 64; i++)
            {
                s.Write(zeros);
            }
        }
        ms.Length.Should().BeLessThan(200_000, "the bomb itself fits under the upload limit");
        var response = await UploadAsync("team/dev", Distributions.Form("demo", "1.0", ms.ToArray(), Distributions.WheelName("demo", "1.0")));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ProjectPageStatusAsync("team/dev", "demo")).Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Upload_over_the_configured_limit_is_413()
    {
        var big = new byte[300_000];
        Random.Shared.NextBytes(big);
        await ShouldBeRefused(await UploadAsync("team/dev", Distributions.Form("demo", "1.0", big, Distributions.WheelName("demo", "1.0"))),
            HttpStatusCode.RequestEntityTooLarge, "maxUploadSize");
    }

    [Fact]
    public async Task Over_limit_upload_without_content_length_is_413()
    {
        var big = new byte[300_000];
        var form = Distributions.Form("demo", "1.0", big, Distributions.WheelName("demo", "1.0"));
        var request = new HttpRequestMessage(HttpMethod.Post, "team/dev/") { Content = new ChunkedContent(form) };
        request.Headers.Authorization = TestServer.Basic("team", "team-pw");
        await ShouldBeRefused(await _server.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "maxUploadSize");
    }

    [Theory]
    [InlineData("1.0-", "invalid 'version'")]
    [InlineData("banana", "invalid 'version'")]
    public async Task Invalid_versions_are_refused(string version, string message)
    {
        await ShouldBeRefused(await UploadAsync("team/dev", Distributions.Form("demo", version, Distributions.Wheel("demo", "1.0"), Distributions.WheelName("demo", "1.0"))),
            HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Non_utf8_fields_are_refused()
    {
        var form = Distributions.Form("demo", "1.0", Distributions.Wheel("demo", "1.0"), Distributions.WheelName("demo", "1.0"));
        form.Add(new ByteArrayContent([0x66, 0xff, 0xfe, 0x80]), "summary");
        await ShouldBeRefused(await UploadAsync("team/dev", form), HttpStatusCode.BadRequest, "not valid UTF-8");
    }

    [Fact]
    public async Task Over_long_fields_are_refused()
    {
        await ShouldBeRefused(await UploadAsync("team/dev", Distributions.Form("demo", "1.0", Distributions.Wheel("demo", "1.0"), Distributions.WheelName("demo", "1.0"),
            ("description", new string('x', 2 << 20)))), HttpStatusCode.BadRequest, "longer than");
    }

    [Fact]
    public async Task Digest_that_disagrees_is_refused()
    {
        await ShouldBeRefused(await UploadAsync("team/dev", Distributions.Form("demo", "1.0", Distributions.Wheel("demo", "1.0"), Distributions.WheelName("demo", "1.0"),
            ("sha256_digest", new string('0', 64)))), HttpStatusCode.BadRequest, "sha256_digest");
    }

    [Fact]
    public async Task Md5_digest_that_disagrees_is_refused_when_no_sha256_is_sent()
    {
        await ShouldBeRefused(await UploadAsync("team/dev", Distributions.Form("demo", "1.0", Distributions.Wheel("demo", "1.0"), Distributions.WheelName("demo", "1.0"),
            ("md5_digest", new string('0', 32)))), HttpStatusCode.BadRequest, "md5_digest");
    }

    [Fact]
    public async Task Matching_md5_digest_is_accepted()
    {
        var wheel = Distributions.Wheel("demo", "1.0");
        using var response = await UploadAsync("team/dev", Distributions.Form("demo", "1.0", wheel, Distributions.WheelName("demo", "1.0"),
            ("md5_digest", Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(wheel)))));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("remove_pkg")]
    [InlineData("")]
    public async Task Unknown_action_is_refused(string action)
    {
        var form = new MultipartFormDataContent { { new StringContent(action), ":action" }, { new StringContent("demo"), "name" }, { new StringContent("1.0"), "version" } };
        await ShouldBeRefused(await UploadAsync("team/dev", form), HttpStatusCode.BadRequest, "action");
    }

    [Fact]
    public async Task Upload_to_a_missing_index_is_404()
    {
        (await UploadAsync("team/nothing", Distributions.Form("demo", "1.0", Distributions.Wheel("demo", "1.0"), Distributions.WheelName("demo", "1.0")))).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>Sends content without a Content-Length, as a streaming client would.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly HttpContent _inner;

        public ChunkedContent(HttpContent inner)
        {
            _inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
