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
        new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance).Put(Pypi, ProjectName.Parse("Demo"), page);

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
        var file = Directory.EnumerateFiles(_directory, "*.json", SearchOption.AllDirectories).Single();
        File.WriteAllText(file, "{ not json");

        new FileMirrorPageCache(_directory, NullLogger<FileMirrorPageCache>.Instance).Get(Pypi, ProjectName.Parse("demo")).Should().BeNull();
    }
}
