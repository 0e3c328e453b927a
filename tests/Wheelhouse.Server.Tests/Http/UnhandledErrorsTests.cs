using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Server.Tests.Metrics;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Http;

public sealed class UnhandledErrorsTests
{
    private static async Task<(HttpContext Context, string Body)> RunAsync(ServerMetrics metrics, RequestDelegate endpoint)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/team/dev/+simple/demo/";
        context.Response.Body = new MemoryStream();
        await new UnhandledErrors(NullLogger<UnhandledErrors>.Instance, metrics).InvokeAsync(context, endpoint);
        context.Response.Body.Position = 0;
        return (context, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_503_with_retry_after_and_no_detail_of_the_database()
    {
        var metrics = new ServerMetrics();
        var (context, body) = await RunAsync(metrics, _ => throw new StorageUnavailableException(
            "the metadata database (PostgreSQL database 'wheelhouse' on db.internal:5432 as 'wh') failed: connection refused", new IOException("refused")));
        context.Response.StatusCode.Should().Be(503);
        context.Response.Headers.RetryAfter.ToString().Should().Be("5");
        body.Should().Contain("try again in 5 seconds").And.NotContain("db.internal");
        ServerMetricsTests.Value(await ServerMetricsTests.ExportAsync(metrics.Registry), "wheelhouse_storage_unavailable_total").Should().Be(1);
    }

    [Fact]
    public async Task A_bug_is_still_a_500_without_retry_after()
    {
        var (context, body) = await RunAsync(new ServerMetrics(), _ => throw new InvalidOperationException("a bug"));
        context.Response.StatusCode.Should().Be(500);
        context.Response.Headers.RetryAfter.Should().BeEmpty();
        body.Should().Contain("InvalidOperationException");
    }
}
