using System.Text;
using Wheelhouse.Packaging.Deb.Archives;

namespace Wheelhouse.Packaging.Tests.Deb.Archives;

public sealed class ArWriterTests
{
    [Fact]
    public void Writes_the_magic_and_fixed_width_headers_field_by_field()
    {
        using var output = new MemoryStream();
        var ar = new ArWriter(output, 1_700_000_000);
        ar.AddMember("debian-binary", "2.0\n"u8);
        ar.AddMember("odd", "abc"u8);
        ar.AddMember("control.tar.xz", new MemoryStream([1, 2]), 2);
        var bytes = output.ToArray();

        Encoding.ASCII.GetString(bytes, 0, 8).Should().Be("!<arch>\n");
        var header = Encoding.ASCII.GetString(bytes, 8, 60);
        header[..16].Should().Be("debian-binary   ", "names are space padded without the GNU '/' terminator, as dpkg-deb writes them");
        header[16..28].Should().Be("1700000000  ");
        header[28..34].Should().Be("0     ");
        header[34..40].Should().Be("0     ");
        header[40..48].Should().Be("100644  ");
        header[48..58].Should().Be("4         ");
        header[58..60].Should().Be("`\n");
        Encoding.ASCII.GetString(bytes, 68, 4).Should().Be("2.0\n");

        var odd = Encoding.ASCII.GetString(bytes, 72, 60);
        odd[..16].Should().Be("odd             ");
        odd[48..58].Should().Be("3         ");
        Encoding.ASCII.GetString(bytes, 132, 4).Should().Be("abc\n", "an odd-sized member is followed by one newline of padding");

        var third = Encoding.ASCII.GetString(bytes, 136, 60);
        third[..16].Should().Be("control.tar.xz  ");
        bytes.Length.Should().Be(136 + 60 + 2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-name-longer-than-16")]
    [InlineData("with space")]
    [InlineData("slash/")]
    public void Rejects_names_ar_cannot_hold(string name)
    {
        var header = () => ArWriter.Header(name, 0, 0);

        header.Should().Throw<ArgumentException>().WithMessage($"ar member name '{name}'*");
    }

    [Fact]
    public void The_independent_reader_reads_what_the_writer_wrote()
    {
        using var output = new MemoryStream();
        var ar = new ArWriter(output, 42);
        ar.AddMember("first", "12345"u8);
        ar.AddMember("second", "xy"u8);

        var archive = DebArchive.Read(output.ToArray());

        archive.Members.Select(m => (m.Name, m.Mtime, Encoding.ASCII.GetString(m.Content)))
            .Should().Equal(("first", 42L, "12345"), ("second", 42L, "xy"));
    }
}
