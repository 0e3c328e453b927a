using System.IO.Compression;
using Wheelhouse.Core.Distributions;
using static Wheelhouse.Core.Tests.Distributions.Archives;

namespace Wheelhouse.Core.Tests.Distributions;

public class DistributionInspectorTests
{
    private static DistributionFileName Name(string fileName) =>
        DistributionFileName.TryParse(fileName, out var name, out var error) ? name : throw new InvalidOperationException(error);

    private static InspectionResult Inspect(Stream stream, string fileName, InspectionLimits? limits = null) =>
        DistributionInspector.Inspect(stream, Name(fileName), limits ?? InspectionLimits.Default);

    private static string FailureOf(InspectionResult result) =>
        result.Should().BeOfType<InspectionResult.Failure>().Subject.Message;

    /// <summary>Real wheels from Debian (python3-pip-whl, python3-setuptools-whl), installed by the prerequisites target.</summary>
    private const string PythonWheels = "/usr/share/python-wheels";

    public static TheoryData<string> RealWheels()
    {
        var data = new TheoryData<string>();
        // Listed even where the prerequisites are missing: the unit run leaves these tests out, but xunit lists them.
        if (!Directory.Exists(PythonWheels))
        {
            return data;
        }
        foreach (var path in Directory.GetFiles(PythonWheels, "*.whl"))
        {
            data.Add(path);
        }
        return data;
    }

    [Integration]
    [Theory]
    [MemberData(nameof(RealWheels))]
    public void Reads_real_wheels(string path)
    {
        var name = Name(Path.GetFileName(path));
        using var file = File.OpenRead(path);
        var success = DistributionInspector.Inspect(file, name, InspectionLimits.Default).Should().BeOfType<InspectionResult.Success>().Subject;
        success.Metadata.Name.Should().Be(name.Project);
        success.Metadata.Version.Should().Be(name.Version);
        success.MemberPath.Should().Be($"{name.Project.Raw}-{name.Version}.dist-info/METADATA");
        using var zip = ZipFile.OpenRead(path);
        using var member = new MemoryStream();
        zip.GetEntry(success.MemberPath)!.Open().CopyTo(member);
        success.RawMetadata.Should().Equal(member.ToArray());
    }

    [Integration]
    [Fact]
    public void There_are_real_wheels_to_test_with() => RealWheels().Should().NotBeEmpty("python3-pip-whl / python3-setuptools-whl provide /usr/share/python-wheels");

    [Fact]
    public void Reads_a_wheel_with_an_escaped_name()
    {
        using var wheel = Zip(("my_pkg/__init__.py", []), ("my_pkg-1.0.dist-info/METADATA", Utf8(Metadata("My.Pkg", "1.0"))),
            ("my_pkg-1.0.dist-info/RECORD", []));
        var success = Inspect(wheel, "my_pkg-1.0-py3-none-any.whl").Should().BeOfType<InspectionResult.Success>().Subject;
        success.Metadata.Name.Raw.Should().Be("My.Pkg");
    }

    [Fact]
    public void Refuses_a_zip_bomb_by_size()
    {
        var huge = new byte[64 * 1024 * 1024];
        using var wheel = Zip(("foo-1.0.dist-info/METADATA", huge));
        wheel.Length.Should().BeLessThan(1024 * 1024, "the bomb is small on disk");
        FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl")).Should().Contain("larger than");
    }

    [Fact]
    public void Refuses_a_zip_bomb_by_compression_ratio()
    {
        var zeros = Utf8(Metadata("foo", "1.0")).Concat(new byte[3 * 1024 * 1024]).ToArray();
        using var wheel = Zip(("foo-1.0.dist-info/METADATA", zeros));
        FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl")).Should().Contain("compression bomb");
    }

    [Fact]
    public void Refuses_a_truncated_wheel()
    {
        using var whole = Zip(("foo/__init__.py", Utf8("x = 1\n")), ("foo-1.0.dist-info/METADATA", Utf8(Metadata("foo", "1.0"))));
        FailureOf(Inspect(Truncated(whole, 0.5), "foo-1.0-py3-none-any.whl")).Should().Contain("not a readable wheel");
    }

    [Theory]
    [InlineData("bar-1.0.dist-info/METADATA", "expected foo-1.0.dist-info")]
    [InlineData("foo-2.0.dist-info/METADATA", "expected foo-1.0.dist-info")]
    [InlineData("foo-1.0.dist-info/RECORD", "has no foo-1.0.dist-info/METADATA")]
    [InlineData("foo/METADATA", "no .dist-info directory")]
    public void Refuses_a_wheel_without_its_own_dist_info(string path, string reason)
    {
        using var wheel = Zip((path, Utf8(Metadata("foo", "1.0"))));
        FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl")).Should().Contain(reason);
    }

    [Fact]
    public void Refuses_a_wheel_with_two_dist_info_directories()
    {
        using var wheel = Zip(("foo-1.0.dist-info/METADATA", Utf8(Metadata("foo", "1.0"))), ("bar-1.0.dist-info/METADATA", Utf8(Metadata("bar", "1.0"))));
        FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl")).Should().Contain("2 .dist-info directories");
    }

    [Fact]
    public void Refuses_metadata_for_another_project_or_version()
    {
        using var wheel = Zip(("foo-1.0.dist-info/METADATA", Utf8(Metadata("foo", "1.1"))));
        FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl")).Should().Contain("describes foo 1.1, but the file name says foo 1.0");
    }

    [Fact]
    public void Refuses_metadata_that_is_not_utf8()
    {
        var latin1 = System.Text.Encoding.Latin1.GetBytes(Metadata("foo", "1.0", "Author: Jürgen"));
        using var wheel = Zip(("foo-1.0.dist-info/METADATA", latin1));
        FailureOf(Inspect(wheel, "foo-1.0-py3-none-any.whl")).Should().Contain("not valid UTF-8");
    }

    [Theory]
    [InlineData("foo-1.0-py3-none-any.whl")]
    [InlineData("foo-1.0.tar.gz")]
    [InlineData("foo-1.0.zip")]
    public void Refuses_bytes_that_are_not_an_archive(string fileName)
    {
        using var junk = new MemoryStream(Utf8("<html>this is not an archive</html>" + new string('x', 2000)));
        FailureOf(Inspect(junk, fileName)).Should().Contain("not a readable");
    }

    [Fact]
    public void Reads_a_tar_gz_sdist()
    {
        using var sdist = TarGz(("foo-1.0/setup.py", Utf8("")), ("foo-1.0/foo.egg-info/PKG-INFO", Utf8(Metadata("foo", "1.0"))),
            ("foo-1.0/PKG-INFO", Utf8(Metadata("foo", "1.0", "Requires-Python: >=3.9"))));
        var success = Inspect(sdist, "foo-1.0.tar.gz").Should().BeOfType<InspectionResult.Success>().Subject;
        success.MemberPath.Should().Be("foo-1.0/PKG-INFO");
        success.Metadata.RequiresPython.Should().Be(">=3.9");
    }

    [Fact]
    public void Reads_a_legacy_sdist_with_an_unescaped_name_and_a_zip_sdist()
    {
        using var legacy = TarGz(("./my-pkg-2.0/PKG-INFO", Utf8(Metadata("my-pkg", "2.0"))));
        Inspect(legacy, "my-pkg-2.0.tar.gz").Should().BeOfType<InspectionResult.Success>();
        using var zip = Zip(("foo-1.0/PKG-INFO", Utf8(Metadata("foo", "1.0"))));
        Inspect(zip, "foo-1.0.zip").Should().BeOfType<InspectionResult.Success>();
    }

    [Fact]
    public void Refuses_an_sdist_without_top_level_pkg_info()
    {
        using var sdist = TarGz(("foo-1.0/foo.egg-info/PKG-INFO", Utf8(Metadata("foo", "1.0"))), ("PKG-INFO", Utf8(Metadata("foo", "1.0"))));
        FailureOf(Inspect(sdist, "foo-1.0.tar.gz")).Should().Contain("no PKG-INFO");
        using var zip = Zip(("foo-1.0/src/PKG-INFO", Utf8(Metadata("foo", "1.0"))));
        FailureOf(Inspect(zip, "foo-1.0.zip")).Should().Contain("no PKG-INFO");
    }

    [Fact]
    public void Caps_the_bytes_decompressed_while_scanning_a_tarball()
    {
        using var sdist = TarGz(("foo-1.0/big.bin", new byte[8 * 1024 * 1024]), ("foo-1.0/PKG-INFO", Utf8(Metadata("foo", "1.0"))));
        var limits = InspectionLimits.Default with { MaxScanBytes = 4 * 1024 * 1024, MaxCompressionRatio = int.MaxValue };
        FailureOf(Inspect(sdist, "foo-1.0.tar.gz", limits)).Should().Contain("more than 4194304 bytes");
        sdist.Position = 0;
        FailureOf(Inspect(sdist, "foo-1.0.tar.gz")).Should().Contain("compression bomb");
        sdist.Position = 0;
        Inspect(sdist, "foo-1.0.tar.gz", InspectionLimits.Default with { MaxCompressionRatio = int.MaxValue })
            .Should().BeOfType<InspectionResult.Success>("within the limits the same file is fine");
    }

    [Fact]
    public void Refuses_a_truncated_tarball()
    {
        using var sdist = TarGz(("foo-1.0/a.txt", Utf8(new string('a', 100_000) + Guid.NewGuid())), ("foo-1.0/PKG-INFO", Utf8(Metadata("foo", "1.0"))));
        FailureOf(Inspect(Truncated(sdist, 0.6), "foo-1.0.tar.gz")).Should().Contain("not a readable");
    }
}
