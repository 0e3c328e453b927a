using Wheelhouse.Core.Distributions;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;

namespace Wheelhouse.Core.Tests.Distributions;

public class DistributionFileNameTests
{
    [Theory]
    [InlineData("pip-23.0.1-py3-none-any.whl", "pip", "23.0.1", null, "py3-none-any")]
    [InlineData("Foo_Bar-1.0-1-py2.py3-none-any.whl", "foo-bar", "1.0", "1", "py2.py3-none-any")]
    [InlineData("numpy-1.26.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "numpy", "1.26.0", null, "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")]
    [InlineData("foo-1.0_post1-py3-none-any.whl", "foo", "1.0.post1", null, "py3-none-any")]
    [InlineData("zope.interface-6.0-cp311-cp311-win_amd64.whl", "zope-interface", "6.0", null, "cp311-cp311-win_amd64")]
    public void Parses_wheel_names(string fileName, string project, string version, string? build, string tags)
    {
        DistributionFileName.TryParse(fileName, out var name, out var error).Should().BeTrue(error);
        name!.Kind.Should().Be(DistributionKind.Wheel);
        name.IsWheel.Should().BeTrue();
        name.FileType.Should().Be("bdist_wheel");
        name.Project.Normalized.Should().Be(project);
        name.Version.Normalized.Should().Be(version);
        name.WheelTags!.BuildTag.Should().Be(build);
        name.WheelTags.ToString().Should().Be(tags);
        name.FileName.Should().Be(fileName);
    }

    [Theory]
    [InlineData("foo_bar-1.0.tar.gz", DistributionKind.SdistTarGz, "foo-bar", "1.0", "foo_bar-1.0")]
    [InlineData("my-package-1.0.tar.gz", DistributionKind.SdistTarGz, "my-package", "1.0", "my-package-1.0")]
    [InlineData("Django-4.2rc1.tar.gz", DistributionKind.SdistTarGz, "django", "4.2rc1", "Django-4.2rc1")]
    [InlineData("foo-1.0.zip", DistributionKind.SdistZip, "foo", "1.0", "foo-1.0")]
    public void Parses_sdist_names(string fileName, DistributionKind kind, string project, string version, string stem)
    {
        DistributionFileName.TryParse(fileName, out var name, out var error).Should().BeTrue(error);
        name!.Kind.Should().Be(kind);
        name.FileType.Should().Be("sdist");
        name.WheelTags.Should().BeNull();
        name.Project.Normalized.Should().Be(project);
        name.Version.Normalized.Should().Be(version);
        name.Stem.Should().Be(stem);
    }

    [Theory]
    [InlineData("Foo_Bar-1.0-py3-none-any.whl", "foo.bar", "1.0", true)]
    [InlineData("Foo_Bar-1.0-py3-none-any.whl", "foo-bar", "1.0.0", false)]
    [InlineData("Foo_Bar-1.0-py3-none-any.whl", "foo-baz", "1.0", false)]
    [InlineData("foo-1.0-1.tar.gz", "foo", "1.0.post1", true)] // legacy: name foo, version 1.0-1
    [InlineData("foo-1.0-1.tar.gz", "foo-1.0", "1", true)] // or name foo-1.0, version 1
    [InlineData("foo-1.0-1.tar.gz", "foo", "1.0", false)]
    [InlineData("my-package-2.0.tar.gz", "My_Package", "2.0", true)]
    [InlineData("my-package-2.0.tar.gz", "my", "2.0", false)]
    public void Matches_normalized_names_and_versions(string fileName, string project, string version, bool matches)
    {
        DistributionFileName.TryParse(fileName, out var name, out var error).Should().BeTrue(error);
        name!.Matches(ProjectName.Parse(project), Pep440Version.Parse(version)).Should().Be(matches);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("../foo-1.0.tar.gz", "path separators")]
    [InlineData("a/foo-1.0-py3-none-any.whl", "path separators")]
    [InlineData("foo\\1.0.tar.gz", "path separators")]
    [InlineData("foo..1.0.tar.gz", "'..'")]
    [InlineData("foo-1.0.tar.gz\0", "printable ASCII")]
    [InlineData("foo-1.0\n.tar.gz", "printable ASCII")]
    [InlineData("foo 1.0.tar.gz", "printable ASCII")]
    [InlineData("föö-1.0.tar.gz", "printable ASCII")]
    [InlineData("foo-1.0.exe", "not a wheel")]
    [InlineData("foo-1.0.tar.bz2", "not a wheel")]
    [InlineData("foo.whl", "PEP 427")]
    [InlineData("foo-1.0-py3-none.whl", "PEP 427")]
    [InlineData("foo-bar-1.0-py3-none-any.whl", "version")]
    [InlineData("foo-1.0-x1-py3-none-any.whl", "build tag")]
    [InlineData("foo-1.0-py3-none-an+y.whl", "tags")]
    [InlineData("-1.0-py3-none-any.whl", "project name")]
    [InlineData("foo-notaversion.tar.gz", "PEP 625")]
    [InlineData("foo.tar.gz", "PEP 625")]
    public void Refuses_bad_names_saying_why(string fileName, string reason)
    {
        DistributionFileName.TryParse(fileName, out var name, out var error).Should().BeFalse();
        name.Should().BeNull();
        error.Should().Contain(reason);
        error.Should().NotContain("\0").And.NotContain("\n");
    }

    [Fact]
    public void Refuses_over_long_names()
    {
        var longName = new string('a', 250) + "-1.0.tar.gz";
        DistributionFileName.TryParse(longName, out _, out var error).Should().BeFalse();
        error.Should().Contain("at most 255");
    }
}
