using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

[Integration]
public class MirrorPageServiceTests
{
    private static readonly IndexPath Pypi = IndexPath.Parse("root/pypi");
    private static readonly ProjectName Demo = ProjectName.Parse("demo");

    private static string PageWith(string version) =>
        $$$"""{"meta": {"api-version": "1.1"}, "name": "demo", "files": [{"filename": "demo-{{{version}}}.tar.gz", "url": "demo-{{{version}}}.tar.gz", "hashes": {}}]}""";

    [Fact]
    public async Task A_fresh_page_is_served_from_the_cache_and_an_expired_one_is_refetched()
    {
        var version = "1.0";
        await using var upstream = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, PageWith(version)));
        var (service, clock, config) = Create(upstream, expiry: 60);

        var first = await service.GetProjectPageAsync(Pypi, config, Demo, default);
        version = "2.0";
        clock.Advance(TimeSpan.FromSeconds(59));
        var cached = await service.GetProjectPageAsync(Pypi, config, Demo, default);
        clock.Advance(TimeSpan.FromSeconds(1));
        var refetched = await service.GetProjectPageAsync(Pypi, config, Demo, default);

        Files(first).Should().Equal("demo-1.0.tar.gz");
        Files(cached).Should().Equal("demo-1.0.tar.gz");
        Files(refetched).Should().Equal("demo-2.0.tar.gz");
        upstream.TotalHits.Should().Be(2);
    }

    [Fact]
    public async Task When_the_upstream_goes_down_the_stale_page_is_served_with_a_warning()
    {
        var down = false;
        await using var upstream = await UpstreamStub.StartAsync(ctx => down
            ? UpstreamSimpleClientTests.Answer(ctx, 500, "text/plain", "down")
            : UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, PageWith("1.0")));
        var (service, clock, config) = Create(upstream, expiry: 60);

        await service.GetProjectPageAsync(Pypi, config, Demo, default);
        down = true;
        clock.Advance(TimeSpan.FromMinutes(5));
        var stale = await service.GetProjectPageAsync(Pypi, config, Demo, default);

        var page = stale.Should().BeOfType<MirrorPageAnswer.Page>().Subject;
        Files(page).Should().Equal("demo-1.0.tar.gz");
        page.Warning.Should().StartWith("111 wheelhouse").And.Contain("answered 500").And.Contain("(300 s old)");
    }

    [Fact]
    public async Task A_slow_upstream_gets_the_expired_page_served_while_the_refresh_goes_on()
    {
        var slow = false;
        var version = "1.0";
        await using var upstream = await UpstreamStub.StartAsync(async ctx =>
        {
            if (slow)
            {
                await Task.Delay(3000);
            }
            await UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, PageWith(version));
        });
        var options = MirrorTestClients.FastOptions with { AttemptTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromSeconds(10), SlowUpstreamBudget = TimeSpan.FromMilliseconds(200) };
        var (service, clock, config) = Create(upstream, expiry: 60, options);

        await service.GetProjectPageAsync(Pypi, config, Demo, default);
        (slow, version) = (true, "2.0");
        clock.Advance(TimeSpan.FromMinutes(2));
        var timer = System.Diagnostics.Stopwatch.StartNew();
        var stale = await service.GetProjectPageAsync(Pypi, config, Demo, default);
        timer.Stop();
        for (var i = 0; i < 1000 && Files(await service.GetProjectPageAsync(Pypi, config, Demo, default))[0] != "demo-2.0.tar.gz"; i++)
        {
            await Task.Delay(10);
        }
        var refreshed = await service.GetProjectPageAsync(Pypi, config, Demo, default);

        Files(stale).Should().Equal("demo-1.0.tar.gz");
        ((MirrorPageAnswer.Page)stale).Warning.Should().StartWith("110 wheelhouse").And.Contain("did not answer within 0.2 s").And.Contain("(120 s old)");
        timer.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(2500), "the stale page does not wait for the 3 s upstream");
        Files(refreshed).Should().Equal("demo-2.0.tar.gz");
        ((MirrorPageAnswer.Page)refreshed).Warning.Should().BeNull();
        upstream.TotalHits.Should().Be(2, "the background refresh was the only second request");
    }

    [Fact]
    public async Task A_page_never_fetched_with_the_upstream_down_is_unavailable()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, 500, "text/plain", "down"));
        var (service, _, config) = Create(upstream, expiry: 60);

        var answer = await service.GetProjectPageAsync(Pypi, config, Demo, default);

        answer.Should().BeOfType<MirrorPageAnswer.Unavailable>().Which.Message
            .Should().StartWith("mirror root/pypi cannot serve demo: upstream ").And.Contain("answered 500").And.Contain("no cached copy");
    }

    [Fact]
    public async Task Garbage_after_a_good_page_keeps_the_good_page()
    {
        var garbage = false;
        await using var upstream = await UpstreamStub.StartAsync(ctx => garbage
            ? UpstreamSimpleClientTests.Answer(ctx, 200, "text/html", "nothing to see")
            : UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, PageWith("1.0")));
        var (service, clock, config) = Create(upstream, expiry: 0);

        await service.GetProjectPageAsync(Pypi, config, Demo, default);
        garbage = true;
        clock.Advance(TimeSpan.FromSeconds(1));
        var answer = await service.GetProjectPageAsync(Pypi, config, Demo, default);

        Files(answer).Should().Equal("demo-1.0.tar.gz");
        ((MirrorPageAnswer.Page)answer).Warning.Should().Contain("not an HTML page");
    }

    [Fact]
    public async Task Concurrent_requests_for_an_expired_page_make_one_upstream_request()
    {
        var release = new TaskCompletionSource();
        await using var upstream = await UpstreamStub.StartAsync(async ctx =>
        {
            await release.Task;
            await UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, PageWith("1.0"));
        });
        var (service, _, config) = Create(upstream, expiry: 60);

        var requests = Enumerable.Range(0, 24).Select(_ => Task.Run(() => service.GetProjectPageAsync(Pypi, config, Demo, default))).ToList();
        for (var i = 0; i < 200 && upstream.TotalHits == 0; i++)
        {
            await Task.Delay(10);
        }
        await Task.Delay(100);
        release.SetResult();
        var answers = await Task.WhenAll(requests);

        upstream.TotalHits.Should().Be(1);
        answers.Should().AllSatisfy(a => Files(a).Should().Equal("demo-1.0.tar.gz"));
    }

    [Fact]
    public async Task Refresh_drops_the_cache_and_404_upstream_forgets_the_page()
    {
        var status = 200;
        await using var upstream = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, status, SimpleJsonParser.MediaType, PageWith("1.0")));
        var (service, _, config) = Create(upstream, expiry: 3600);

        await service.GetProjectPageAsync(Pypi, config, Demo, default);
        service.Refresh(Pypi, ProjectName.Parse("DEMO")).Should().BeTrue();
        await service.GetProjectPageAsync(Pypi, config, Demo, default);
        upstream.TotalHits.Should().Be(2);

        status = 404;
        service.Refresh(Pypi, Demo);
        var gone = await service.GetProjectPageAsync(Pypi, config, Demo, default);
        gone.Should().BeOfType<MirrorPageAnswer.NotFound>();
        service.Refresh(Pypi, Demo).Should().BeTrue("the 404 was remembered, and refresh forgets it");
        service.Refresh(Pypi, Demo).Should().BeFalse("a 404 leaves no page cached");
    }

    [Fact]
    public async Task A_404_is_remembered_until_the_cache_expiry_or_a_refresh()
    {
        var status = 404;
        await using var upstream = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, status, SimpleJsonParser.MediaType, PageWith("1.0")));
        var (service, clock, config) = Create(upstream, expiry: 60);

        var first = await service.GetProjectPageAsync(Pypi, config, Demo, default);
        status = 200;
        clock.Advance(TimeSpan.FromSeconds(59));
        var remembered = await service.GetProjectPageAsync(Pypi, config, Demo, default);
        upstream.TotalHits.Should().Be(1, "pip asks for the name again and again; the mirror must not ask the upstream each time");
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterExpiry = await service.GetProjectPageAsync(Pypi, config, Demo, default);

        first.Should().BeOfType<MirrorPageAnswer.NotFound>();
        remembered.Should().BeOfType<MirrorPageAnswer.NotFound>();
        Files(afterExpiry).Should().Equal("demo-1.0.tar.gz");
        upstream.TotalHits.Should().Be(2);

        status = 404;
        service.Refresh(Pypi, Demo);
        (await service.GetProjectPageAsync(Pypi, config, Demo, default)).Should().BeOfType<MirrorPageAnswer.NotFound>();
        service.Refresh(Pypi, Demo).Should().BeTrue();
        status = 200;
        Files(await service.GetProjectPageAsync(Pypi, config, Demo, default)).Should().Equal("demo-1.0.tar.gz");
        upstream.TotalHits.Should().Be(4, "a refresh sends the next request upstream");
    }

    [Fact]
    public async Task Finds_a_file_link_by_name()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, PageWith("1.0")));
        var (service, _, config) = Create(upstream, expiry: 60);

        var (link, _) = await service.FindLinkAsync(Pypi, config, Demo, "demo-1.0.tar.gz", default);
        var (missing, _) = await service.FindLinkAsync(Pypi, config, Demo, "demo-9.tar.gz", default);

        link!.Url.AbsoluteUri.Should().Be(upstream.BaseUrl + "/simple/demo/demo-1.0.tar.gz");
        missing.Should().BeNull();
    }

    [Fact]
    public async Task A_page_of_the_former_mirror_url_is_neither_served_fresh_nor_stale_after_the_url_changes()
    {
        await using var former = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, PageWith("1.0")));
        var down = true;
        await using var current = await UpstreamStub.StartAsync(ctx => down
            ? UpstreamSimpleClientTests.Answer(ctx, 500, "text/plain", "down")
            : UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType, PageWith("2.0")));
        var (service, _, config) = Create(former, expiry: 3600);
        var moved = config with { MirrorUrl = current.BaseUrl + "/simple/" };

        var fromFormer = await service.GetProjectPageAsync(Pypi, config, Demo, default);
        var whileDown = await service.GetProjectPageAsync(Pypi, moved, Demo, default);
        down = false;
        var fromCurrent = await service.GetProjectPageAsync(Pypi, moved, Demo, default);

        Files(fromFormer).Should().Equal("demo-1.0.tar.gz");
        whileDown.Should().BeOfType<MirrorPageAnswer.Unavailable>("the page cached from the former URL is no copy of the current upstream");
        Files(fromCurrent).Should().Equal("demo-2.0.tar.gz");
    }

    private static List<string> Files(MirrorPageAnswer answer) =>
        answer.Should().BeOfType<MirrorPageAnswer.Page>().Subject.Value.Links.Select(l => l.Filename).ToList();

    private static (MirrorPageService, ManualClock, IndexConfig) Create(UpstreamStub upstream, int expiry, MirrorHttpOptions? options = null)
    {
        var clock = new ManualClock();
        // Registered the way the server registers it, with the test's clock.
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock)
            .AddMirrorUpstream(options ?? MirrorTestClients.FastOptions).BuildServiceProvider();
        var config = new IndexConfig { Type = IndexType.Mirror, MirrorUrl = upstream.BaseUrl + "/simple/", MirrorCacheExpiry = expiry };
        return (services.GetRequiredService<MirrorPageService>(), clock, config);
    }
}

public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
