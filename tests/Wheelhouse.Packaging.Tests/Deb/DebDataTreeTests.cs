using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Tests.Deb;

public sealed class DebDataTreeTests
{
    private static readonly DebFileSource Bytes = DebFileSource.FromBytes([1]);

    [Fact]
    public void Synthesises_parents_and_orders_like_dpkg_deb_with_symlinks_last()
    {
        var tree = DebDataTree.Create(
        [
            new DebSymlink("usr/bin/tool", "../lib/x/f"),
            new DebFile("usr/lib-y/g", Bytes),
            new DebFile("usr/lib/x/f", Bytes, DebModes.Executable),
            new DebFile("a/z", Bytes),
            new DebFile("usr/bin/b", Bytes),
            new DebFile("usr/lib/Z", Bytes),
        ]);

        tree.Entries.Select(DebDataTree.TarName).Should().Equal(
            "./", "./a/", "./a/z", "./usr/", "./usr/bin/", "./usr/bin/b", "./usr/lib/", "./usr/lib/Z", "./usr/lib/x/",
            "./usr/lib/x/f", "./usr/lib-y/", "./usr/lib-y/g", "./usr/bin/tool");
        tree.Entries.OfType<DebDirectory>().Should().AllSatisfy(d => d.Mode.Should().Be(DebModes.Directory));
    }

    [Fact]
    public void Orders_non_ascii_names_by_their_utf8_bytes()
    {
        var tree = DebDataTree.Create([new DebFile("\uFF21", Bytes), new DebFile("\U0001F600", Bytes), new DebFile("z", Bytes)]);

        // UTF-16 ordinal order would put U+1F600 (a surrogate pair, 0xD83D...) before U+FF21; UTF-8 bytes do not.
        tree.Entries.Skip(1).Select(e => e.Path).Should().Equal("z", "\uFF21", "\U0001F600");
    }

    [Fact]
    public void Keeps_an_explicit_directory_mode()
    {
        var tree = DebDataTree.Create([new DebDirectory("var/lib/app", 0b111_101_000), new DebFile("var/lib/app/f", Bytes)]);

        tree.Entries.OfType<DebDirectory>().Single(d => d.Path == "var/lib/app").Mode.Should().Be(0b111_101_000);
    }

    [Fact]
    public void Reports_every_invalid_entry_at_once()
    {
        var create = () => DebDataTree.Create(
        [
            new DebFile("/abs", Bytes),
            new DebFile("./dot", Bytes),
            new DebFile("a//b", Bytes),
            new DebFile("a/../b", Bytes),
            new DebFile("trailing/", Bytes),
            new DebFile("dup", Bytes),
            new DebFile("dup", Bytes),
            new DebFile("file", Bytes),
            new DebFile("file/child", Bytes),
            new DebSymlink("link", ""),
            new DebFile("mode", Bytes, 0x1000),
        ]);

        create.Should().Throw<ArgumentException>()
            .WithMessage("*'/abs' must be relative*")
            .WithMessage("*'./dot' must be relative*")
            .WithMessage("*'a//b' has an empty*")
            .WithMessage("*'a/../b' has an empty, '.' or '..' segment*")
            .WithMessage("*'trailing/' has an empty*")
            .WithMessage("*'dup' is listed twice*")
            .WithMessage("*'file' is a file but 'file/child' needs it to be a directory*")
            .WithMessage("*symlink 'link' needs a non-empty target*")
            .WithMessage("*'mode' has mode 10000, outside 0-7777*");
    }
}
