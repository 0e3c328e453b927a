using System.Diagnostics;
using System.Net;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Storage;
using Wheelhouse.Storage.Files;
using Wheelhouse.Storage.Sqlite;

namespace Wheelhouse.Server.Tests.Endpoints;

/// <summary>
/// The served tree nginx answers release files from (<c>&lt;data&gt;/+f-tree</c>, the URL path of each file) follows
/// every change made over HTTP: upload, re-upload, push, deletion of a file, a version, an index and a user; a start
/// rebuilds it when it was removed, and the server relinks a missing name when it serves the file itself.
/// </summary>
[Integration]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServedTreeOverHttpTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateUserAsync("team");
        await _server.CreateIndexAsync("team", "dev");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string UrlPath(string index, string name, string version, byte[] wheel)
    {
        var sha = Distributions.Sha256(wheel);
        return $"{index}/+f/{sha[..3]}/{sha[3..16]}/{Distributions.WheelName(name, version)}";
    }

    /// <summary>Where nginx's <c>root</c> + <c>$uri</c> looks for the file behind <paramref name="urlPath"/>.</summary>
    private string TreePath(string urlPath) => Path.Combine(_server.DataDirectory, ServedTree.DirectoryName, urlPath);

    private string BlobPath(byte[] content)
    {
        var sha = Distributions.Sha256(content);
        return Path.Combine(_server.DataDirectory, "+files", "sha256", sha[..2], sha[2..]);
    }

    private static string Inode(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["--format=%d:%i", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        stat.ExitCode.Should().Be(0, $"stat {path}");
        return output;
    }

    [Fact]
    public async Task An_upload_appears_under_its_url_as_the_blob_itself_with_its_core_metadata()
    {
        var wheel = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        var path = UrlPath("team/dev", "tree-demo", "1.0", wheel);
        var file = TreePath(path);

        File.Exists(file).Should().BeTrue("nginx serves {0} from there", path);
        Inode(file).Should().Be(Inode(BlobPath(wheel)), "a hard link: no second copy of the bytes");
        (await File.ReadAllBytesAsync(file)).Should().Equal(wheel);
        File.GetUnixFileMode(file).Should().Be(BlobStore.BlobMode, "nginx's workers run as another user");
        var metadata = await _server.Client.GetByteArrayAsync(path + ".metadata");
        (await File.ReadAllBytesAsync(file + ".metadata")).Should().Equal(metadata, "PEP 658 metadata is served from disk too");
    }

    [Fact]
    public async Task Deleting_a_file_removes_its_name()
    {
        var wheel = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        var path = UrlPath("team/dev", "tree-demo", "1.0", wheel);
        using var deleted = await _server.SendAsync(HttpMethod.Delete, path, "team", "team-pw");
        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        File.Exists(TreePath(path)).Should().BeFalse();
        File.Exists(TreePath(path) + ".metadata").Should().BeFalse();
        File.Exists(BlobPath(wheel)).Should().BeFalse("no row refers to the blob any more");
    }

    [Fact]
    public async Task Deleting_a_version_an_index_or_a_user_removes_their_names()
    {
        var one = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        var two = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "2.0");
        await _server.CreateIndexAsync("team", "other");
        var three = await _server.UploadWheelAsync("team/other", "team", "tree-demo", "3.0");

        (await _server.SendAsync(HttpMethod.Delete, "team/dev/tree-demo/1.0", "team", "team-pw")).StatusCode.Should().Be(HttpStatusCode.OK);
        File.Exists(TreePath(UrlPath("team/dev", "tree-demo", "1.0", one))).Should().BeFalse();
        File.Exists(TreePath(UrlPath("team/dev", "tree-demo", "2.0", two))).Should().BeTrue();

        (await _server.SendAsync(HttpMethod.Delete, "team/dev", "team", "team-pw")).StatusCode.Should().Be(HttpStatusCode.Created);
        File.Exists(TreePath(UrlPath("team/dev", "tree-demo", "2.0", two))).Should().BeFalse();
        Directory.Exists(TreePath("team/dev")).Should().BeFalse();
        File.Exists(TreePath(UrlPath("team/other", "tree-demo", "3.0", three))).Should().BeTrue();

        (await _server.SendAsync(HttpMethod.Delete, "team", "team", "team-pw")).StatusCode.Should().Be(HttpStatusCode.OK);
        Directory.Exists(TreePath("team")).Should().BeFalse();
    }

    [Fact]
    public async Task Replacing_a_file_in_a_volatile_index_moves_its_name()
    {
        var first = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        var second = Distributions.Wheel("tree-demo", "1.0", requiresPython: ">=3.10");
        using var request = new HttpRequestMessage(HttpMethod.Post, "team/dev/")
        {
            Content = Distributions.Form("tree-demo", "1.0", second, Distributions.WheelName("tree-demo", "1.0")),
        };
        request.Headers.Authorization = TestServer.Basic("team", "team-pw");
        (await _server.Client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);

        File.Exists(TreePath(UrlPath("team/dev", "tree-demo", "1.0", first))).Should().BeFalse();
        (await File.ReadAllBytesAsync(TreePath(UrlPath("team/dev", "tree-demo", "1.0", second)))).Should().Equal(second);
    }

    [Fact]
    public async Task A_pushed_release_appears_under_the_target_index()
    {
        await _server.CreateIndexAsync("team", "stable", """{"volatile": false}""");
        var wheel = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        using var push = await _server.SendAsync(HttpMethod.Post, "team/dev", "team", "team-pw",
            """{"name": "tree-demo", "version": "1.0", "targetindex": "team/stable"}""");
        push.StatusCode.Should().Be(HttpStatusCode.OK, await push.Content.ReadAsStringAsync());
        var target = TreePath(UrlPath("team/stable", "tree-demo", "1.0", wheel));
        Inode(target).Should().Be(Inode(BlobPath(wheel)));
        File.Exists(target + ".metadata").Should().BeTrue();
    }

    [Fact]
    public async Task A_mirror_file_is_linked_once_fetched_and_checked()
    {
        await using var pair = await Mirrors.MirrorPair.StartAsync();
        var wheel = await pair.Upstream.UploadWheelAsync("team/dev", "team", "tree-mirror", "1.0");
        var path = UrlPath("ops/up", "tree-mirror", "1.0", wheel);
        var file = Path.Combine(pair.Server.DataDirectory, ServedTree.DirectoryName, path);
        (await pair.Server.Client.GetStringAsync("ops/up/+simple/tree-mirror/")).Should().Contain(Distributions.Sha256(wheel));
        File.Exists(file).Should().BeFalse("nothing is fetched before a client asks for the file");

        (await pair.Server.Client.GetByteArrayAsync(path)).Should().Equal(wheel);
        // The answer ends once the file is hash-checked and sent; its commit and link follow a moment later.
        for (var i = 0; i < 200 && !File.Exists(file); i++)
        {
            await Task.Delay(50);
        }
        Inode(file).Should().Be(Inode(Path.Combine(pair.Server.DataDirectory, "+files", "sha256", Distributions.Sha256(wheel)[..2], Distributions.Sha256(wheel)[2..])));
    }

    [Fact]
    public async Task The_server_relinks_a_missing_name_when_it_serves_the_file()
    {
        var wheel = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        var path = UrlPath("team/dev", "tree-demo", "1.0", wheel);
        File.Delete(TreePath(path)); // as a crash between commit and link leaves it

        (await _server.Client.GetByteArrayAsync(path)).Should().Equal(wheel, "nginx falls back to the server");
        Inode(TreePath(path)).Should().Be(Inode(BlobPath(wheel)));
    }

    [Fact]
    public async Task A_start_rebuilds_a_removed_tree_and_drops_names_no_row_has()
    {
        var data = _server.DataDirectory;
        var wheel = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        var path = UrlPath("team/dev", "tree-demo", "1.0", wheel);
        await _server.StopKeepingDataAsync();
        Directory.Delete(Path.Combine(data, ServedTree.DirectoryName), recursive: true); // an upgrade from a version without the tree

        _server = await TestServer.StartAsync(dataDirectory: data);
        Inode(TreePath(path)).Should().Be(Inode(BlobPath(wheel)));
        File.Exists(TreePath(path) + ".metadata").Should().BeTrue();

        // A name left behind while the tree was not kept (a downgrade) is gone after the next start.
        var stale = TreePath("team/dev/+f/000/0000000000000/gone-1.0-py3-none-any.whl");
        await _server.StopKeepingDataAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllTextAsync(stale, "deleted long ago");
        await File.WriteAllTextAsync(Path.Combine(data, ServedTree.DirectoryName, ServedTree.MarkerFileName), "0\n");
        _server = await TestServer.StartAsync(dataDirectory: data);
        File.Exists(stale).Should().BeFalse();
        File.Exists(TreePath(path)).Should().BeTrue();
    }

    [Fact]
    public async Task A_file_whose_content_left_the_data_directory_is_a_500_that_says_so_and_what_to_do()
    {
        var wheel = await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        var path = UrlPath("team/dev", "tree-demo", "1.0", wheel);
        File.Delete(TreePath(path));
        File.Delete(BlobPath(wheel)); // a disk cleaned by hand: the row is there, the bytes are not

        using var answer = await _server.Client.GetAsync(path);

        answer.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await answer.Content.ReadAsStringAsync()).Should().Contain($"{Distributions.WheelName("tree-demo", "1.0")} is registered but its content is missing")
            .And.Contain("'wheelhouse-server check' lists every such file").And.Contain("'wheelhouse-server restore'");
    }

    [Fact]
    public async Task The_data_directory_holds_nothing_others_can_read_but_the_tree()
    {
        await _server.UploadWheelAsync("team/dev", "team", "tree-demo", "1.0");
        if (Wheelhouse.Testing.Postgres.TestStorage.Kind == StorageKind.Sqlite)
        {
            File.GetUnixFileMode(Path.Combine(_server.DataDirectory, SqliteMetadataStore.FileName)).Should().Be(SqliteMetadataStore.FileMode);
        }
        File.GetUnixFileMode(Path.Combine(_server.DataDirectory, "+files")).Should().Be(BlobStore.PrivateDirectory);
        File.GetUnixFileMode(Path.Combine(_server.DataDirectory, ServedTree.DirectoryName)).Should().Be(ServedTree.DirectoryMode);
    }
}
