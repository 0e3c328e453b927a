using Microsoft.Extensions.Logging.Abstractions;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

public sealed class FileMirrorPageCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wh-mirror-pages-").FullName;
    private static readonly IndexPath Pypi = IndexPath.Parse("root/pypi");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_page_survives_a_restart_and_refresh_removes_it_from_disk()
    {
        var link = new UpstreamLink(new Uri("https://files.example/demo-1.0.tar.gz"), "demo-1.0.tar.gz",
            new Dictionary<string, string> { ["sha256"] = new string('a', 64) }, ">=3.8", "bad", new Dictionary<string, string>());
        var page = new MirrorCachedPage(new UpstreamProjectPage("Demo", [link], ["1.0"]), new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        using (var first = new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance))
        {
            first.Put(Pypi, ProjectName.Parse("Demo"), page);
        } // disposing (the host's stop) writes what is still waiting

        var restarted = new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance);
        var loaded = restarted.Get(Pypi, ProjectName.Parse("demo"))!;

        loaded.FetchedAt.Should().Be(page.FetchedAt);
        loaded.Page.Name.Should().Be("Demo");
        loaded.Page.Versions.Should().Equal("1.0");
        loaded.Page.Links.Single().Should().BeEquivalentTo(link);
        restarted.Remove(Pypi, ProjectName.Parse("DEMO")).Should().BeTrue();
        new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance).Get(Pypi, ProjectName.Parse("demo")).Should().BeNull();
        Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public void A_damaged_file_counts_as_not_cached()
    {
        var cache = new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance);
        cache.Put(Pypi, ProjectName.Parse("demo"), new MirrorCachedPage(new UpstreamProjectPage("demo", [], []), DateTimeOffset.UnixEpoch));
        cache.Flush();
        var file = Directory.EnumerateFiles(_directory, "*.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(file, "{ not json");

        new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance).Get(Pypi, ProjectName.Parse("demo")).Should().BeNull();
    }

    [Fact]
    public void The_newest_of_several_puts_is_the_one_on_disk()
    {
        var cache = new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance);
        for (var i = 1; i <= 50; i++)
        {
            cache.Put(Pypi, ProjectName.Parse("demo"), new MirrorCachedPage(new UpstreamProjectPage("demo", [], [$"{i}.0"]), DateTimeOffset.UnixEpoch.AddSeconds(i)));
            cache.Put(Pypi, ProjectName.Parse($"other-{i}"), new MirrorCachedPage(new UpstreamProjectPage($"other-{i}", [], []), DateTimeOffset.UnixEpoch));
        }
        cache.Flush();

        var restarted = new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance);
        restarted.Get(Pypi, ProjectName.Parse("demo"))!.Page.Versions.Should().Equal("50.0");
        Enumerable.Range(1, 50).Should().OnlyContain(i => restarted.Get(Pypi, ProjectName.Parse($"other-{i}")) != null);
        Directory.EnumerateFiles(_directory, "*.tmp", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public void A_page_removed_while_its_write_waits_is_not_written_back()
    {
        var cache = new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance);
        for (var i = 0; i < 200; i++)
        {
            var name = ProjectName.Parse($"p{i}");
            cache.Put(Pypi, name, new MirrorCachedPage(new UpstreamProjectPage(name.Normalized, [], ["1.0"]), DateTimeOffset.UnixEpoch));
            cache.Remove(Pypi, name); // refresh, or an upstream 404, before the writer came to the page
        }
        cache.Flush();

        Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories).Should().BeEmpty();
        new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance).Get(Pypi, ProjectName.Parse("p0")).Should().BeNull();
    }
}
