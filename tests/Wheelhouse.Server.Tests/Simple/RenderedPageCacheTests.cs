using Wheelhouse.Server.Http;
using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Tests.Simple;

public class RenderedPageCacheTests
{
    private static readonly object Snapshot = new();

    private static RenderedPageCache.Key Key(string project) => new(Wheelhouse.Core.Indexes.IndexPath.Parse("ops/dev"), project, SimpleFormat.Html, 0);

    [Fact]
    public void A_page_rendered_for_another_directory_snapshot_at_the_same_serial_is_rendered_again()
    {
        var cache = new RenderedPageCache();
        var renders = 0;
        byte[] Render() => [(byte)++renders];

        cache.GetOrRender(Key("a"), 7, Snapshot, Render);
        var afterReload = cache.GetOrRender(Key("a"), 7, new object(), Render);

        afterReload.Should().Equal([(byte)2], "a commit bumps the serial before the directory reloads; a page of the old directory must not stay");
    }

    [Fact]
    public async Task A_burst_of_requests_for_a_page_not_yet_rendered_renders_it_once()
    {
        var cache = new RenderedPageCache();
        var renders = 0;
        byte[] Render()
        {
            Interlocked.Increment(ref renders);
            Thread.Sleep(200); // a big project list takes a while
            return [42];
        }

        var pages = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.GetOrRender(Key("list"), 3, Snapshot, Render))));

        renders.Should().Be(1, "the others wait for the one render instead of each making its own copy");
        pages.Should().OnlyContain(p => p.Length == 1 && p[0] == 42);
    }

    [Fact]
    public void A_page_is_reused_while_the_serial_stays_and_rendered_again_after()
    {
        var cache = new RenderedPageCache();
        var renders = 0;
        byte[] Render() => [(byte)++renders];

        var first = cache.GetOrRender(Key("a"), 1, Snapshot, Render);
        var reused = cache.GetOrRender(Key("a"), 1, Snapshot, Render);
        var next = cache.GetOrRender(Key("a"), 2, Snapshot, Render);

        reused.Should().BeSameAs(first);
        next.Should().Equal(2);
        renders.Should().Be(2);
    }

    [Fact]
    public void The_byte_budget_starts_the_cache_over_and_a_page_over_an_eighth_of_it_is_never_kept()
    {
        var cache = new RenderedPageCache(maxBytes: 800);
        var renders = 0;

        cache.GetOrRender(Key("a"), 1, Snapshot, () => { renders++; return new byte[400]; });
        cache.GetOrRender(Key("a"), 1, Snapshot, () => { renders++; return new byte[400]; });
        cache.Bytes.Should().Be(0, "400 bytes is over an eighth of 800: not kept");
        for (var i = 0; i < 9; i++)
        {
            cache.GetOrRender(Key("p" + i), 1, Snapshot, () => new byte[100]);
        }

        renders.Should().Be(2);
        cache.Bytes.Should().BeLessThanOrEqualTo(800).And.BeGreaterThan(0);
        cache.FindMirrorBacked(Key("p8"), 1, Snapshot).Should().BeNull("a stage page is no mirror-backed entry");
    }
}
