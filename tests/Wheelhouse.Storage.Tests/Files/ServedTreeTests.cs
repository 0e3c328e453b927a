using Wheelhouse.Storage.Files;

namespace Wheelhouse.Storage.Tests.Files;

// The tree exists for nginx on Linux; modes and hard links are POSIX.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServedTreeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-tree-").FullName;
    private readonly BlobStore _blobs;
    private readonly ServedTree _tree;

    public ServedTreeTests()
    {
        _blobs = new BlobStore(_dir);
        _tree = new ServedTree(_dir, _blobs);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<FileRecord> StoreAsync(byte[] content, string user = "team", string index = "dev", string name = "demo-1.0-py3-none-any.whl",
        string? metadataSha = null)
    {
        await using var blob = _blobs.Create();
        await blob.WriteAsync(content, CancellationToken.None);
        await blob.FinishAsync();
        blob.Publish();
        return new FileRecord(user, index, name, "demo", "1.0", FileKind.ReleaseFile, blob.Sha256, content.Length,
            DateTimeOffset.UnixEpoch, "", metadataSha, "[]");
    }

    /// <summary>The rows as the metadata store hands them to a reconcile: by the first digits of their sha256.</summary>
    private static Func<string, IEnumerable<FileRecord>> Rows(params FileRecord[] files) =>
        prefix => files.Where(f => f.Sha256.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Whether two names are one file, a hard link and not a copy: a time set through one name shows through the other.</summary>
    private static bool AreOneFile(string path, string other)
    {
        var marker = DateTime.UnixEpoch.AddSeconds(Random.Shared.Next(1, int.MaxValue));
        File.SetLastWriteTimeUtc(path, marker);
        return File.GetLastWriteTimeUtc(other) == marker;
    }

    private static void Link(ServedTree tree, FileRecord file, byte[]? metadata = null)
    {
        tree.TryLink(file, metadata, out var problem).Should().BeTrue(problem);
    }

    [Fact]
    public async Task A_linked_file_is_the_blob_under_its_url_path()
    {
        var file = await StoreAsync([1, 2, 3]);
        Link(_tree, file);
        var path = _tree.PathOf(file)!;
        path.Should().Be(Path.Combine(_dir, "+f-tree", "team", "dev", "+f", file.Sha256[..3], file.Sha256[3..16], "demo-1.0-py3-none-any.whl"));
        AreOneFile(path, _blobs.PathOf(file.Sha256)!).Should().BeTrue("a hard link, not a copy");
        File.ReadAllBytes(path).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Modes_let_other_users_read_the_tree_but_keep_the_store_private()
    {
        var file = await StoreAsync([4]);
        Link(_tree, file, "Metadata-Version: 2.1\n"u8.ToArray());
        var path = _tree.PathOf(file)!;
        File.GetUnixFileMode(path).Should().Be(BlobStore.BlobMode);
        File.GetUnixFileMode(path + ".metadata").Should().Be(BlobStore.BlobMode);
        for (var dir = Path.GetDirectoryName(path)!; dir != _dir; dir = Path.GetDirectoryName(dir)!)
        {
            File.GetUnixFileMode(dir).Should().Be(ServedTree.DirectoryMode, dir);
        }
        File.GetUnixFileMode(Path.Combine(_dir, "+files")).Should().Be(BlobStore.PrivateDirectory);
    }

    [Fact]
    public async Task Linking_is_idempotent_and_writes_core_metadata_beside_the_wheel()
    {
        var file = await StoreAsync([5], metadataSha: new string('a', 64));
        var metadata = "Metadata-Version: 2.1\nName: demo\n"u8.ToArray();
        Link(_tree, file, metadata);
        Link(_tree, file, metadata);
        File.ReadAllBytes(_tree.PathOf(file)! + ".metadata").Should().Equal(metadata);
        Directory.EnumerateFiles(Path.GetDirectoryName(_tree.PathOf(file)!)!).Select(Path.GetFileName)
            .Should().BeEquivalentTo(["demo-1.0-py3-none-any.whl", "demo-1.0-py3-none-any.whl.metadata"], "no temp file is left");
        _tree.IsLinked(file, withMetadata: true).Should().BeTrue();
    }

    [Fact]
    public async Task Unlinking_removes_the_names_and_the_empty_directories_but_not_the_blob()
    {
        var file = await StoreAsync([6]);
        var other = await StoreAsync([7], name: "demo-1.0.tar.gz");
        Link(_tree, file, [1]);
        Link(_tree, other);
        _tree.Unlink(file);
        File.Exists(_tree.PathOf(file)!).Should().BeFalse();
        File.Exists(_tree.PathOf(file)! + ".metadata").Should().BeFalse();
        Directory.Exists(Path.GetDirectoryName(Path.GetDirectoryName(_tree.PathOf(file)!))).Should().BeFalse();
        File.Exists(_tree.PathOf(other)!).Should().BeTrue();
        _blobs.Exists(file.Sha256).Should().BeTrue();
        _tree.Unlink(other);
        Directory.EnumerateFileSystemEntries(_tree.Root).Should().BeEmpty();
    }

    [Fact]
    public async Task Removing_an_index_or_a_user_takes_all_of_its_files()
    {
        var a = await StoreAsync([8], index: "one");
        var b = await StoreAsync([9], index: "two");
        var c = await StoreAsync([10], user: "other");
        Link(_tree, a);
        Link(_tree, b);
        Link(_tree, c);
        _tree.UnlinkIndex("team", "one");
        File.Exists(_tree.PathOf(a)!).Should().BeFalse();
        File.Exists(_tree.PathOf(b)!).Should().BeTrue();
        _tree.UnlinkUser("team");
        File.Exists(_tree.PathOf(b)!).Should().BeFalse();
        File.Exists(_tree.PathOf(c)!).Should().BeTrue();
        Directory.EnumerateFileSystemEntries(_tree.Root).Select(Path.GetFileName).Should().Equal("other");
    }

    [Theory]
    [InlineData("..", "dev", "demo.whl")]
    [InlineData("team", "..", "demo.whl")]
    [InlineData("team", "dev", "..")]
    [InlineData("team", "dev", "../../../wheelhouse.sqlite")]
    [InlineData("team/x", "dev", "demo.whl")]
    [InlineData("team", "d\\ev", "demo.whl")]
    [InlineData("team", "dev", ".in-step-at-serial")]
    [InlineData("", "dev", "demo.whl")]
    [InlineData("team", "dev", "demo\n.whl")]
    public void Unsafe_names_have_no_path(string user, string index, string fileName)
    {
        _tree.PathOf(user, index, new string('a', 64), fileName).Should().BeNull();
    }

    [Fact]
    public void A_hash_that_is_not_lowercase_hex_has_no_path()
    {
        _tree.PathOf("team", "dev", "../" + new string('a', 61), "demo.whl").Should().BeNull();
        _tree.PathOf("team", "dev", new string('A', 64), "demo.whl").Should().BeNull();
    }

    [Fact]
    public async Task Unsafe_rows_are_not_linked_and_say_why()
    {
        var file = await StoreAsync([11]) with { FileName = "../escape.whl" };
        _tree.TryLink(file, null, out var problem).Should().BeFalse();
        problem.Should().Contain("cannot be a path");
        Directory.EnumerateFileSystemEntries(_tree.Root).Should().BeEmpty();
    }

    [Fact]
    public async Task A_missing_blob_is_not_linked()
    {
        var file = await StoreAsync([12]);
        _blobs.Delete(file.Sha256);
        _tree.TryLink(file, null, out var problem).Should().BeFalse();
        problem.Should().Contain("missing from the store");
    }

    [Fact]
    public async Task Reconcile_links_what_is_missing_and_removes_what_no_row_names()
    {
        var kept = await StoreAsync([13], metadataSha: new string('b', 64));
        var missing = await StoreAsync([14], name: "demo-1.0.tar.gz");
        var stale = await StoreAsync([15], index: "gone");
        Link(_tree, kept);
        Link(_tree, stale);
        var stray = Path.Combine(_tree.Root, "team", "dev", "+f", "stray.tmp");
        File.WriteAllText(stray, "left by hand");
        File.CreateSymbolicLink(Path.Combine(_tree.Root, "team", "escape"), "/etc");

        var report = _tree.Reconcile(Rows(kept, missing), sha => sha == kept.MetadataSha256 ? "Metadata-Version: 2.1\n"u8.ToArray() : null);

        report.Should().BeEquivalentTo(new { Expected = 3, Linked = 2, Removed = 3 });
        report.Problems.Should().BeEmpty();
        File.Exists(_tree.PathOf(kept)! + ".metadata").Should().BeTrue();
        File.Exists(_tree.PathOf(missing)!).Should().BeTrue();
        AreOneFile(_tree.PathOf(missing)!, _blobs.PathOf(missing.Sha256)!).Should().BeTrue("a hard link, not a copy");
        File.Exists(_tree.PathOf(stale)!).Should().BeFalse();
        Directory.Exists(Path.Combine(_tree.Root, "team", "gone")).Should().BeFalse("emptied directories are pruned");
        File.Exists(stray).Should().BeFalse();
        File.Exists(Path.Combine(_tree.Root, "team", "escape")).Should().BeFalse();
        _tree.Reconcile(Rows(kept, missing), _ => null).Should().BeEquivalentTo(new { Linked = 0, Removed = 0 }, "a second run finds nothing to do");
    }

    [Fact]
    public async Task Reconcile_asks_for_the_rows_one_shard_at_a_time_and_removes_what_is_misplaced_at_every_level()
    {
        var file = await StoreAsync([17]);
        Link(_tree, file);
        string[] misplaced =
        [
            Path.Combine(_tree.Root, "stray-at-root.txt"),
            Path.Combine(_tree.Root, "team", "stray-at-user.txt"),
            Path.Combine(_tree.Root, "team", "dev", "not-f", "x.whl"),
            Path.Combine(_tree.Root, "team", "dev", "+f", "xyz", "x.whl"),
            Path.Combine(_tree.Root, ".removing-0123", "team", "dev", "+f", "abc", "0123456789abc", "x.whl"),
        ];
        foreach (var path in misplaced)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "left by hand or by a crash");
        }
        var asked = new List<string>();

        var report = _tree.Reconcile(prefix =>
        {
            asked.Add(prefix);
            return Rows(file)(prefix);
        }, _ => null);

        asked.Should().HaveCount(256).And.OnlyHaveUniqueItems().And.OnlyContain(p => p.Length == 2, "one shard's rows at a time, never all");
        report.Should().BeEquivalentTo(new { Expected = 1, Linked = 0, Removed = misplaced.Length });
        misplaced.Should().OnlyContain(p => !File.Exists(p));
        Directory.Exists(Path.Combine(_tree.Root, ".removing-0123")).Should().BeFalse();
        Directory.Exists(Path.Combine(_tree.Root, "team", "dev", "not-f")).Should().BeFalse();
        File.Exists(_tree.PathOf(file)!).Should().BeTrue();
    }

    [Fact]
    public async Task Reconcile_makes_blobs_of_older_versions_readable_when_linking_them()
    {
        var file = await StoreAsync([16]);
        File.SetUnixFileMode(_blobs.PathOf(file.Sha256)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        _tree.Reconcile(Rows(file), _ => null).Linked.Should().Be(1);
        File.GetUnixFileMode(_tree.PathOf(file)!).Should().Be(BlobStore.BlobMode);
    }

    [Fact]
    public void The_marker_records_the_serial_the_tree_matches()
    {
        _tree.IsInStepWith(0).Should().BeFalse("a new tree has never been reconciled");
        _tree.MarkInStep(41);
        _tree.IsInStepWith(41).Should().BeTrue();
        _tree.IsInStepWith(42).Should().BeFalse();
        _tree.Reconcile(Rows(), _ => null).Removed.Should().Be(0, "the marker is the tree's own");
        Directory.Delete(_tree.Root, true);
        _tree.IsInStepWith(41).Should().BeFalse("a removed tree must be rebuilt");
    }
}
