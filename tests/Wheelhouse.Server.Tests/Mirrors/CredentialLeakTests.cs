using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>Upstream credentials must not reach any log line, whatever the outcome, at any log level.</summary>
[Integration]
public class CredentialLeakTests
{
    private const string Secret = "Sup3rS3cretValue";

    [Fact]
    public async Task No_log_line_at_any_level_holds_the_password()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"mirror-user:{Secret}"));
        var calls = 0;
        await using var upstream = await UpstreamStub.StartAsync(ctx => Interlocked.Increment(ref calls) switch
        {
            1 => UpstreamSimpleClientTests.Answer(ctx, 503, "text/plain", "busy"),
            _ when ctx.Request.Headers.Authorization != expected => UpstreamSimpleClientTests.Answer(ctx, 401, "text/plain", "no"),
            _ when ctx.Request.Path.Value!.Contains("broken") => UpstreamSimpleClientTests.Answer(ctx, 200, "text/html", "garbage"),
            _ => UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, """{"meta": {"api-version": "1.0"}, "files": []}"""),
        });
        var sink = new CapturingLoggerProvider();
        using var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(sink))
            .AddMirrorUpstream(MirrorTestClients.FastOptions)
            .BuildServiceProvider();
        var client = services.GetRequiredService<UpstreamSimpleClient>();
        var mirror = MirrorUrl.Parse(upstream.BaseUrl.Replace("http://", $"http://mirror-user:{Secret}@") + "/simple/");
        var wrong = MirrorUrl.Parse(upstream.BaseUrl.Replace("http://", $"http://mirror-user:{Secret}x@") + "/simple/");

        var results = new object[]
        {
            await client.GetProjectPageAsync(mirror, ProjectName.Parse("demo"), default),
            await client.GetProjectPageAsync(mirror, ProjectName.Parse("broken"), default),
            await client.GetProjectPageAsync(wrong, ProjectName.Parse("demo"), default),
        };

        results[0].Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>();
        results[1].Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>();
        results[2].Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Failed>();
        sink.Lines.Should().NotBeEmpty("the client and the HTTP pipeline log at trace level");
        var encoded = expected["Basic ".Length..];
        sink.Lines.Should().NotContain(line => line.Contains(Secret) || line.Contains(encoded));
        results.Select(r => r.ToString()!).Should().NotContain(text => text.Contains(Secret));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                owner.Lines.Enqueue($"{category} {formatter(state, exception)} {structured} {exception}");
            }
        }
    }
}
