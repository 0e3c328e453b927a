using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

[Integration]
public class MirrorProjectListServiceTests
{
    private static readonly IndexPath Pypi = IndexPath.Parse("root/pypi");

    [Fact]
    public async Task The_list_is_cached_refetched_when_expired_and_served_stale_when_the_upstream_fails()
    {
        var status = 200;
        await using var upstream = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, status, SimpleJsonParser.MediaType,
            """{"meta": {"api-version": "1.0"}, "projects": [{"name": "a"}, {"name": "b"}]}"""));
        var clock = new ManualClock();
        using var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock)
            .AddMirrorUpstream(MirrorTestClients.FastOptions).BuildServiceProvider();
        var lists = services.GetRequiredService<MirrorProjectListService>();
        var config = new IndexConfig { Type = IndexType.Mirror, MirrorUrl = upstream.BaseUrl + "/simple/", MirrorCacheExpiry = 60 };

        var first = await lists.GetAsync(Pypi, config, default);
        var cached = await lists.GetAsync(Pypi, config, default);
        status = 500;
        clock.Advance(TimeSpan.FromSeconds(61));
        var stale = await lists.GetAsync(Pypi, config, default);

        first.Should().BeOfType<MirrorProjectListAnswer.List>().Which.Value.Projects.Should().Equal("a", "b");
        cached.Should().BeOfType<MirrorProjectListAnswer.List>().Which.Warning.Should().BeNull();
        stale.Should().BeOfType<MirrorProjectListAnswer.List>().Which.Warning.Should().StartWith("111 wheelhouse").And.Contain("answered 500");
        upstream.Hits("/simple/").Should().Be(1 + 1 + MirrorTestClients.FastOptions.MaxRetries);
    }

    [Fact]
    public async Task With_nothing_cached_a_failing_upstream_is_unavailable()
    {
        await using var upstream = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, 200, "text/plain", "nope"));
        using var services = MirrorTestClients.Create();
        var config = new IndexConfig { Type = IndexType.Mirror, MirrorUrl = upstream.BaseUrl + "/simple/" };

        var answer = await services.GetRequiredService<MirrorProjectListService>().GetAsync(Pypi, config, default);

        answer.Should().BeOfType<MirrorProjectListAnswer.Unavailable>().Which.Message
            .Should().StartWith("mirror root/pypi cannot list its projects: upstream ").And.Contain("content type text/plain");
    }

    [Fact]
    public async Task A_list_of_the_former_mirror_url_is_not_served_after_the_url_changes()
    {
        await using var former = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType,
            """{"meta": {"api-version": "1.0"}, "projects": [{"name": "a"}]}"""));
        await using var current = await UpstreamStub.StartAsync(ctx => UpstreamSimpleClientTests.Answer(ctx, 200, SimpleJsonParser.MediaType,
            """{"meta": {"api-version": "1.0"}, "projects": [{"name": "z"}]}"""));
        using var services = MirrorTestClients.Create();
        var lists = services.GetRequiredService<MirrorProjectListService>();
        var config = new IndexConfig { Type = IndexType.Mirror, MirrorUrl = former.BaseUrl + "/simple/", MirrorCacheExpiry = 3600 };

        var before = await lists.GetAsync(Pypi, config, default);
        var after = await lists.GetAsync(Pypi, config with { MirrorUrl = current.BaseUrl + "/simple/" }, default);

        before.Should().BeOfType<MirrorProjectListAnswer.List>().Which.Value.Projects.Should().Equal("a");
        after.Should().BeOfType<MirrorProjectListAnswer.List>().Which.Value.Projects.Should().Equal("z");
    }
}
