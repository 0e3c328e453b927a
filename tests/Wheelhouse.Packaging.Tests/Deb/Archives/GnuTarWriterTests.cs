using System.Text;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Deb.Archives;

namespace Wheelhouse.Packaging.Tests.Deb.Archives;

public sealed class GnuTarWriterTests
{
    private const long Mtime = 1_700_000_000;

    [Fact]
    public void File_header_fields_are_gnu_format_with_root_owner_and_the_one_timestamp()
    {
        var header = GnuTarWriter.Header("./usr/bin/tool", TarEntryKind.File, DebModes.Executable, 1234, Mtime, "");

        Field(header, 0, 100).Should().Be("./usr/bin/tool");
        Field(header, 100, 8).Should().Be("0000755");
        Field(header, 108, 8).Should().Be("0000000");
        Field(header, 116, 8).Should().Be("0000000");
        Field(header, 124, 12).Should().Be("00000002322");
        Field(header, 136, 12).Should().Be(Convert.ToString(Mtime, 8).PadLeft(11, '0'));
        ((char)header[156]).Should().Be('0');
        Field(header, 157, 100).Should().BeEmpty();
        Encoding.ASCII.GetString(header, 257, 8).Should().Be("ustar  \0", "GNU tar's magic and version");
        Field(header, 265, 32).Should().Be("root");
        Field(header, 297, 32).Should().Be("root");
        header.AsSpan(329, 512 - 329).ContainsAnyExcept((byte)0).Should().BeFalse("no device numbers, atime, ctime or prefix");
    }

    [Fact]
    public void Checksum_is_the_byte_sum_with_the_field_as_spaces()
    {
        var header = GnuTarWriter.Header("./x", TarEntryKind.Directory, DebModes.Directory, 0, Mtime, "");
        var stored = Convert.ToInt32(Encoding.ASCII.GetString(header, 148, 6), 8);
        header[154].Should().Be(0);
        header[155].Should().Be((byte)' ');

        Array.Fill(header, (byte)' ', 148, 8);
        header.Sum(b => b).Should().Be(stored);
    }

    [Fact]
    public void Long_names_and_link_targets_get_gnu_longlink_records_that_readers_understand()
    {
        var longName = "./" + string.Join('/', Enumerable.Repeat("directory-name-of-some-length", 6)) + "/file";
        var longTarget = string.Join('/', Enumerable.Repeat("..", 60)) + "/target";
        using var output = new MemoryStream();
        var tar = new GnuTarWriter(output, Mtime);
        tar.AddFile(longName, DebModes.Regular, new MemoryStream("hello"u8.ToArray()), 5);
        tar.AddSymlink("./link", longTarget);
        tar.Finish();
        var bytes = output.ToArray();

        var headers = TarItem.RawHeaders(bytes);
        headers.Select(h => (char)h[156]).Should().Equal('L', '0', 'K', '2');
        Field(headers[0], 0, 100).Should().Be("././@LongLink");
        Convert.ToInt64(Field(headers[0], 124, 12), 8).Should().Be(Encoding.UTF8.GetByteCount(longName) + 1, "the NUL terminator is counted");

        var items = TarItem.ReadAll(bytes);
        items.Select(i => i.Name).Should().Equal(longName, "./link");
        Encoding.ASCII.GetString(items[0].Content).Should().Be("hello");
        items[1].LinkTarget.Should().Be(longTarget);

        var system = new System.Formats.Tar.TarReader(new MemoryStream(bytes));
        system.GetNextEntry()!.Name.Should().Be(longName);
        system.GetNextEntry()!.LinkName.Should().Be(longTarget);
    }

    [Fact]
    public void Entries_are_block_aligned_and_the_archive_ends_on_a_10240_byte_record()
    {
        using var output = new MemoryStream();
        var tar = new GnuTarWriter(output, Mtime);
        tar.AddDirectory("./", DebModes.Directory);
        tar.AddFile("./a", DebModes.Regular, new MemoryStream(new byte[513]), 513);
        tar.Finish();
        var bytes = output.ToArray();

        bytes.Length.Should().Be(10240);
        bytes.AsSpan(512 * 4).ContainsAnyExcept((byte)0).Should().BeFalse("after header, header and two data blocks only zeros follow");
        var items = TarItem.ReadAll(bytes);
        items.Should().HaveCount(2);
        items[0].IsDirectory.Should().BeTrue();
        items[1].Size.Should().Be(513);
        items[1].Mtime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(Mtime).UtcDateTime);
    }

    [Fact]
    public void A_source_shorter_or_longer_than_announced_is_an_error_naming_the_entry()
    {
        var tar = new GnuTarWriter(new MemoryStream(), Mtime);

        var shorter = () => tar.AddFile("./short", DebModes.Regular, new MemoryStream(new byte[3]), 10);
        shorter.Should().Throw<IOException>().WithMessage("./short shrank*");

        var longer = () => tar.AddFile("./long", DebModes.Regular, new MemoryStream(new byte[30]), 10);
        longer.Should().Throw<IOException>().WithMessage("./long grew*");
    }

    private static string Field(byte[] header, int offset, int width) =>
        Encoding.UTF8.GetString(header, offset, width).TrimEnd('\0');
}
