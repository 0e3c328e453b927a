using System.Net;
using System.Text.RegularExpressions;
using Wheelhouse.Server.Tests.Mirrors;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Simple;

/// <summary>
/// <c>/{user}/{index}/+findlinks</c> (and <c>/+links</c>): every release file visible through the index, with bases,
/// mirrors' cached files and mirror_whitelist applied, consumed by Debian's real pip with <c>--no-index --find-links</c>.
/// Starts <c>python3 -m http.server</c> as a mirror's upstream and pip in a venv (python3-venv, python3-pip).
/// </summary>
[Integration]
public sealed partial class FindLinksPageTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("wh-findlinks-").FullName;
    private TestServer _server = null!;
    private StaticTree _tree = null!;
    private readonly Dictionary<string, byte[]> _upstream = new(StringComparer.Ordinal)
    {
        [Distributions.WheelName("remote-a", "1.0")] = Distributions.Wheel("remote-a", "1.0"),
        [Distributions.WheelName("remote-b", "2.0")] = Distributions.Wheel("remote-b", "2.0"),
        [Distributions.WheelName("shared", "9.0")] = Distributions.Wheel("shared", "9.0"),
    };

    public async Task InitializeAsync()
    {
        _tree = await StaticTree.StartAsync(_upstream);
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "up", $$"""{"type": "mirror", "mirror_url": "{{_tree.SimpleUrl}}"}""");
        await _server.CreateIndexAsync("team", "base", """{"bases": ["team/up"]}""");
        await _server.CreateIndexAsync("team", "dev", """{"bases": ["team/base"]}""");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _tree.DisposeAsync();
        Directory.Delete(_work, true);
    }

    [GeneratedRegex("<a href=\"([^\"]+)\"[^>]*>([^<]+)</a>")]
    private static partial Regex Link();

    private async Task<List<(string Href, string Name)>> LinksAsync(string index, string suffix = "+findlinks")
    {
        using var response = await _server.Client.GetAsync($"{index}/{suffix}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var page = await response.Content.ReadAsStringAsync();
        return Link().Matches(page).Select(m => (WebUtility.HtmlDecode(m.Groups[1].Value), m.Groups[2].Value)).ToList();
    }

    private async Task FetchThroughMirrorAsync(string fileName)
    {
        var sha = Distributions.Sha256(_upstream[fileName]);
        (await _server.Client.GetStringAsync($"team/up/+simple/{fileName.Split('-')[0].Replace('_', '-')}/")).Should().Contain(sha);
        using var response = await _server.Client.GetAsync($"team/up/+f/{sha[..3]}/{sha[3..16]}/{fileName}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        // The download's answer ends before the mirror commits the file; a request for it meanwhile waits for the commit.
        using var stored = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"team/up/+f/{sha[..3]}/{sha[3..16]}/{fileName}"));
        stored.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Lists_the_files_of_the_index_and_its_bases_sorted_with_hashes_that_resolve_to_the_bytes()
    {
        var own = await _server.UploadWheelAsync("team/dev", "team", "zeta", "1.0");
        var inherited = await _server.UploadWheelAsync("team/base", "team", "alpha", "0.1");
        var second = await _server.UploadWheelAsync("team/base", "team", "alpha", "0.2");

        var links = await LinksAsync("team/dev");

        links.Select(l => l.Name).Should().Equal(Distributions.WheelName("alpha", "0.1"), Distributions.WheelName("alpha", "0.2"), Distributions.WheelName("zeta", "1.0"));
        foreach (var (href, name, bytes) in links.Zip(new[] { inherited, second, own }, (l, b) => (l.Href, l.Name, b)))
        {
            href.Should().EndWith("#sha256=" + Distributions.Sha256(bytes));
            var url = new Uri(new Uri(_server.BaseUrl + "/team/dev/+findlinks"), href);
            (await _server.Client.GetByteArrayAsync(url)).Should().Equal(bytes, $"{name} is served where the page links it");
        }
        (await LinksAsync("team/dev", "+links")).Should().Equal(links, "+links is the same page");
        (await LinksAsync("team/base")).Select(l => l.Name).Should().NotContain(Distributions.WheelName("zeta", "1.0"), "a base does not see what inherits from it");
    }

    [Fact]
    public async Task A_mirror_contributes_only_what_it_has_cached_and_the_page_follows_new_files()
    {
        (await LinksAsync("team/dev")).Should().BeEmpty("nothing was fetched through the mirror yet");
        (await _server.Client.GetStringAsync("team/dev/+findlinks")).Should().Contain("No release files are visible through team/dev yet.");

        await FetchThroughMirrorAsync(Distributions.WheelName("remote-a", "1.0"));

        (await LinksAsync("team/dev")).Select(l => l.Name).Should().Equal(Distributions.WheelName("remote-a", "1.0"));
        (await LinksAsync("team/up")).Select(l => l.Name).Should().Equal(new[] { Distributions.WheelName("remote-a", "1.0") }, "a mirror's own page lists its cache");
    }

    [Fact]
    public async Task A_project_held_by_a_private_index_hides_the_mirror_s_copy_unless_whitelisted()
    {
        await FetchThroughMirrorAsync(Distributions.WheelName("shared", "9.0"));
        await _server.UploadWheelAsync("team/base", "team", "shared", "1.0");

        (await LinksAsync("team/dev")).Select(l => l.Name).Should().Equal(Distributions.WheelName("shared", "1.0"));

        using (var patch = await _server.SendAsync(HttpMethod.Patch, "team/base", "team", "team-pw", """["mirror_whitelist+=shared"]"""))
        {
            patch.StatusCode.Should().Be(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());
        }
        (await LinksAsync("team/base")).Select(l => l.Name).Should().Equal(Distributions.WheelName("shared", "1.0"), Distributions.WheelName("shared", "9.0"));
    }

    [Fact]
    public async Task An_unknown_index_is_a_404_that_says_so()
    {
        using var response = await _server.Client.GetAsync("team/nope/+findlinks");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("index team/nope does not exist");
    }

    [Fact]
    public async Task Real_pip_installs_with_no_index_from_the_page_after_the_upstream_is_gone()
    {
        await FetchThroughMirrorAsync(Distributions.WheelName("remote-b", "2.0"));
        await _server.UploadWheelAsync("team/dev", "team", "local-pkg", "3.0");
        _tree.Stop();
        var venv = Path.Combine(_work, "venv");
        (await Tool.RunAsync(_work, "/usr/bin/python3", "-m", "venv", venv)).ShouldSucceed();

        var install = (await Tool.RunAsync(_work, Path.Combine(venv, "bin", "pip"), "install", "--no-cache-dir", "--no-index",
            "--find-links", $"{_server.BaseUrl}/team/dev/+findlinks", "remote-b==2.0", "local-pkg")).ShouldSucceed();

        install.Output.Should().Contain("Successfully installed local-pkg-3.0 remote-b-2.0");
    }
}
