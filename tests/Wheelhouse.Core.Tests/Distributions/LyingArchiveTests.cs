using Wheelhouse.Core.Distributions;
using static Wheelhouse.Core.Tests.Distributions.Archives;

namespace Wheelhouse.Core.Tests.Distributions;

/// <summary>
/// Issue 9, item 1: an archive whose headers lie about its metadata member. The member is read without trusting the
/// header: what really comes out is counted, stopped at the limit, then checked against the declared size and CRC-32.
/// </summary>
public class LyingArchiveTests
{
    private const string Member = "foo-1.0.dist-info/METADATA";

    private static InspectionResult Inspect(byte[] archive, string fileName, InspectionLimits? limits = null) =>
        DistributionInspector.Inspect(new MemoryStream(archive), DistributionFileName.TryParse(fileName, out var n, out _) ? n : throw new ArgumentException(fileName),
            limits ?? InspectionLimits.Default);

    private static string FailureOf(InspectionResult result) => result.Should().BeOfType<InspectionResult.Failure>().Subject.Message;

    private static byte[] Wheel(string metadata) =>
        Zip(("foo/__init__.py", []), (Member, Utf8(metadata)), ("foo-1.0.dist-info/RECORD", [])).ToArray();

    [Fact]
    public void A_metadata_entry_that_inflates_beyond_its_declared_size_is_refused_naming_the_entry()
    {
        var wheel = ZipHeaders.Declare(Wheel(Metadata("foo", "1.0") + ZipHeaders.Incompressible(100_000)), Member, size: 300);
        var message = FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl"));
        message.Should().Contain(Member).And.Contain("300");
    }

    [Fact]
    public void A_metadata_entry_that_inflates_past_the_limit_stops_at_the_limit()
    {
        var wheel = ZipHeaders.Declare(Wheel(Metadata("foo", "1.0") + ZipHeaders.Incompressible(200_000)), Member, size: 300);
        var message = FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl", InspectionLimits.Default with { MaxMetadataBytes = 64 * 1024 }));
        message.Should().Contain(Member).And.Contain("65536");
    }

    [Fact]
    public void A_metadata_entry_shorter_than_declared_is_refused()
    {
        var wheel = ZipHeaders.Declare(Wheel(Metadata("foo", "1.0")), Member, size: 5000);
        FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl")).Should().Contain(Member).And.Contain("5000");
    }

    [Fact]
    public void A_metadata_entry_whose_crc_does_not_match_is_refused()
    {
        var honest = Wheel(Metadata("foo", "1.0"));
        var wheel = ZipHeaders.Declare(honest, Member, crc: ZipHeaders.DeclaredCrc(honest, Member) ^ 1);
        FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl")).Should().Contain(Member).And.Contain("CRC-32");
    }

    [Fact]
    public void An_honest_wheel_still_passes()
    {
        Inspect(Wheel(Metadata("foo", "1.0") + ZipHeaders.Incompressible(100_000)), "foo-1.0-py3-none-any.whl")
            .Should().BeOfType<InspectionResult.Success>();
    }

    [Fact]
    public void A_zip_sdist_whose_pkg_info_lies_is_refused()
    {
        var sdist = Zip(("foo-1.0/PKG-INFO", Utf8(Metadata("foo", "1.0") + ZipHeaders.Incompressible(50_000))), ("foo-1.0/setup.py", [])).ToArray();
        FailureOf(Inspect(ZipHeaders.Declare(sdist, "foo-1.0/PKG-INFO", size: 200), "foo-1.0.zip")).Should().Contain("foo-1.0/PKG-INFO");
        var honest = ZipHeaders.DeclaredCrc(sdist, "foo-1.0/PKG-INFO");
        FailureOf(Inspect(ZipHeaders.Declare(sdist, "foo-1.0/PKG-INFO", crc: honest + 1), "foo-1.0.zip")).Should().Contain("CRC-32");
    }

    [Fact]
    public void A_tarball_whose_gzip_checksum_does_not_match_is_refused()
    {
        var sdist = TarGz(("foo-1.0/PKG-INFO", Utf8(Metadata("foo", "1.0"))), ("foo-1.0/setup.py", Utf8(ZipHeaders.Incompressible(10_000)))).ToArray();
        Inspect(sdist, "foo-1.0.tar.gz").Should().BeOfType<InspectionResult.Success>();
        sdist[^8] ^= 0xff; // the gzip trailer: CRC-32 of the whole tar, then its size
        FailureOf(Inspect(sdist, "foo-1.0.tar.gz")).Should().Contain("not a readable");
    }

    [Fact]
    public void A_tarball_whose_trailer_lies_about_its_size_is_refused()
    {
        var sdist = TarGz(("foo-1.0/PKG-INFO", Utf8(Metadata("foo", "1.0")))).ToArray();
        sdist[^4] ^= 0x01;
        FailureOf(Inspect(sdist, "foo-1.0.tar.gz")).Should().Contain("not a readable");
    }
}
