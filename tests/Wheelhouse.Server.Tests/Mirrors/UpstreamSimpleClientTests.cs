using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>The client against real loopback upstreams that answer well, badly, slowly or not at all.</summary>
[Integration]
public class UpstreamSimpleClientTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly ProjectName Demo = ProjectName.Parse("Demo_Pkg");

    private static string JsonPage => $$$"""{"meta": {"api-version": "1.1"}, "name": "demo-pkg", "files": [{"filename": "demo_pkg-1.0.tar.gz", "url": "demo_pkg-1.0.tar.gz", "hashes": {"sha256": "{{{Sha}}}"}}]}""";

    [Fact]
    public async Task Asks_for_pep_691_json_and_reads_it()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => Answer(ctx, 200, SimpleJsonParser.MediaType, JsonPage));
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        var page = result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>().Subject.Value;
        page.Links.Single().Url.AbsoluteUri.Should().Be(upstream.BaseUrl + "/simple/demo-pkg/demo_pkg-1.0.tar.gz");
        page.Links.Single().Sha256.Should().Be(Sha);
        var request = upstream.Requests.Single();
        request.Path.Should().Be("/simple/demo-pkg/");
        request.Accept.Should().Be(UpstreamSimpleClient.AcceptHeader);
        request.Authorization.Should().BeEmpty();
    }

    [Fact]
    public async Task Falls_back_to_html_when_the_upstream_answers_html()
    {
        var html = $"<!DOCTYPE html><html><body><a href=\"/f/demo_pkg-1.0.tar.gz#sha256={Sha}\" data-requires-python=\"&gt;=3.9\">demo_pkg-1.0.tar.gz</a></body></html>";
        await using var upstream = await UpstreamStub.StartAsync(ctx => Answer(ctx, 200, "text/html; charset=utf-8", html));
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        var link = result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>().Subject.Value.Links.Single();
        link.RequiresPython.Should().Be(">=3.9");
        link.Url.AbsoluteUri.Should().Be(upstream.BaseUrl + "/f/demo_pkg-1.0.tar.gz");
    }

    [Theory]
    [InlineData("application/octet-stream", "\u0001\u0002binary", "content type application/octet-stream")]
    [InlineData("text/html", "hello, this is not an index", "not an HTML page")]
    [InlineData(SimpleJsonParser.MediaType, "{\"meta\": {\"api-version\": \"1.0\"}, \"files\": 3}", "no \"files\" list")]
    [InlineData(SimpleJsonParser.MediaType, "<html>", "not valid JSON")]
    public async Task Garbage_is_a_failure_that_says_what_was_wrong(string contentType, string body, string reason)
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => Answer(ctx, 200, contentType, body));
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        var failure = result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Subject.Failure;
        failure.Kind.Should().Be(UpstreamFailureKind.Garbage);
        failure.Message.Should().Contain(reason).And.Contain(upstream.BaseUrl + "/simple/demo-pkg/");
    }

    [Fact]
    public async Task Invalid_utf8_is_garbage()
    {
        await using var upstream = await UpstreamStub.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.Body.WriteAsync(new byte[] { (byte)'<', (byte)'a', (byte)' ', 0xff, 0xfe, (byte)'>' });
        });
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Which.Failure.Message.Should().Contain("not UTF-8");
    }

    [Fact]
    public async Task An_oversized_page_is_refused()
    {
        var big = "<html><body>" + new string('x', 20_000) + "</body></html>";
        await using var upstream = await UpstreamStub.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync(big); // chunked: no Content-Length, the limit is hit while reading
        });
        using var services = MirrorTestClients.Create(MirrorTestClients.FastOptions with { MaxPageBytes = 10_000 });

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        var failure = result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Subject.Failure;
        failure.Kind.Should().Be(UpstreamFailureKind.TooLarge);
        failure.Message.Should().Contain("10000 bytes");
    }

    [Fact]
    public async Task A_500_is_retried_then_reported()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => Answer(ctx, 500, "text/plain", "oops"));
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        var failure = result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Subject.Failure;
        failure.Kind.Should().Be(UpstreamFailureKind.HttpError);
        failure.Message.Should().Contain("answered 500");
        upstream.Hits("/simple/demo-pkg/").Should().Be(1 + MirrorTestClients.FastOptions.MaxRetries);
    }

    [Fact]
    public async Task A_transient_503_followed_by_success_succeeds()
    {
        var calls = 0;
        await using var upstream = await UpstreamStub.StartAsync(ctx => Interlocked.Increment(ref calls) == 1
            ? Answer(ctx, 503, "text/plain", "busy")
            : Answer(ctx, 200, SimpleJsonParser.MediaType, JsonPage));
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>();
        calls.Should().Be(2);
    }

    [Fact]
    public async Task A_404_is_an_answer_not_a_failure_and_is_not_retried()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => Answer(ctx, 404, "text/plain", "no such project"));
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.NotFound>().Which.Message.Should().Contain("404");
        upstream.TotalHits.Should().Be(1);
    }

    [Fact]
    public async Task A_hanging_upstream_times_out()
    {
        await using var upstream = await UpstreamStub.StartAsync(async ctx => await Task.Delay(Timeout.Infinite, ctx.RequestAborted));
        using var services = MirrorTestClients.Create(MirrorTestClients.TimeoutOptions);
        var started = DateTime.UtcNow;

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Which.Failure.Kind.Should().Be(UpstreamFailureKind.Timeout);
        upstream.TotalHits.Should().Be(1 + MirrorTestClients.TimeoutOptions.MaxRetries, "every attempt timed out and was retried");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_body_that_stalls_after_the_headers_times_out()
    {
        await using var upstream = await UpstreamStub.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body>");
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        });
        using var services = MirrorTestClients.Create(MirrorTestClients.TimeoutOptions);

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), Demo, default);

        result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Which.Failure.Kind.Should().Be(UpstreamFailureKind.Timeout);
    }

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse($"http://127.0.0.1:{ClosedPort()}/simple/"), Demo, default);

        var failure = result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Subject.Failure;
        failure.Kind.Should().Be(UpstreamFailureKind.Unreachable);
        failure.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task Credentials_are_sent_as_basic_auth_and_never_appear_in_a_message()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("team:p@ss word"));
        await using var upstream = await UpstreamStub.StartAsync(ctx => ctx.Request.Headers.Authorization == expected
            ? Answer(ctx, 200, SimpleJsonParser.MediaType, JsonPage)
            : Answer(ctx, 401, "text/plain", "who are you"));
        using var services = MirrorTestClients.Create();
        var withCredentials = MirrorUrl.Parse(upstream.BaseUrl.Replace("http://", "http://team:p%40ss%20word@") + "/simple/");
        var wrongCredentials = MirrorUrl.Parse(upstream.BaseUrl.Replace("http://", "http://team:wrong-secret@") + "/simple/");

        var good = await Client(services).GetProjectPageAsync(withCredentials, Demo, default);
        var bad = await Client(services).GetProjectPageAsync(wrongCredentials, Demo, default);

        good.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>();
        var failure = bad.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Subject.Failure;
        failure.Message.Should().Contain("401").And.Contain("check the credentials").And.NotContain("wrong-secret").And.NotContain("team:");
        withCredentials.ToString().Should().NotContain("p@ss").And.NotContain("p%40ss");
    }

    [Fact]
    public async Task The_circuit_opens_for_a_failing_host_and_stops_calling_it()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => Answer(ctx, 500, "text/plain", "down"));
        var options = MirrorTestClients.FastOptions with
        {
            MaxRetries = 1,
            BreakerMinimumThroughput = 2,
            BreakerFailureRatio = 0.5,
            BreakDuration = TimeSpan.FromSeconds(30),
        };
        using var services = MirrorTestClients.Create(options);
        var mirror = MirrorUrl.Parse(upstream.BaseUrl + "/simple/");

        var first = await Client(services).GetProjectPageAsync(mirror, Demo, default);
        var hitsAfterFirst = upstream.TotalHits;
        var second = await Client(services).GetProjectPageAsync(mirror, ProjectName.Parse("other"), default);

        first.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Which.Failure.Kind.Should().Be(UpstreamFailureKind.HttpError);
        var failure = second.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>().Subject.Failure;
        failure.Kind.Should().Be(UpstreamFailureKind.CircuitOpen);
        failure.Message.Should().Contain("paused after repeated failures");
        upstream.TotalHits.Should().Be(hitsAfterFirst, "an open circuit does not reach the upstream");
    }

    [Fact]
    public async Task The_circuit_is_per_host()
    {
        await using var failing = await UpstreamStub.StartAsync(ctx => Answer(ctx, 500, "text/plain", "down"));
        await using var healthy = await UpstreamStub.StartAsync(ctx => Answer(ctx, 200, SimpleJsonParser.MediaType, JsonPage));
        using var services = MirrorTestClients.Create(MirrorTestClients.FastOptions with { MaxRetries = 1, BreakerMinimumThroughput = 2 });

        await Client(services).GetProjectPageAsync(MirrorUrl.Parse(failing.BaseUrl + "/simple/"), Demo, default);
        var result = await Client(services).GetProjectPageAsync(MirrorUrl.Parse(healthy.BaseUrl + "/simple/"), Demo, default);

        result.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>();
    }

    [Fact]
    public async Task Reads_the_project_list_in_either_format()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => Answer(ctx, 200, SimpleJsonParser.MediaType,
            """{"meta": {"api-version": "1.0"}, "projects": [{"name": "a"}, {"name": "B_c"}]}"""));
        using var services = MirrorTestClients.Create();

        var result = await Client(services).GetProjectListAsync(MirrorUrl.Parse(upstream.BaseUrl + "/simple/"), default);

        result.Should().BeOfType<UpstreamResult<UpstreamProjectList>.Success>().Which.Value.Projects.Should().Equal("a", "B_c");
        upstream.Requests.Single().Path.Should().Be("/simple/");
    }

    internal static UpstreamSimpleClient Client(IServiceProvider services) => services.GetRequiredService<UpstreamSimpleClient>();

    internal static async Task Answer(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
