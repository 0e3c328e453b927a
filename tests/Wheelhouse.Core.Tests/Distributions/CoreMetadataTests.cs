using System.Text;
using Wheelhouse.Core.Distributions;

namespace Wheelhouse.Core.Tests.Distributions;

public class CoreMetadataTests
{
    private const string Modern = """
        Metadata-Version: 2.1
        Name: Sample_Project
        Version: 1.0rc1
        Summary: A sample
        Home-page: https://example.com
        Author: A. Person
        Author-email: a@example.com
        License: MIT License
                Copyright (c) someone
        Classifier: Programming Language :: Python :: 3
        Classifier: License :: OSI Approved :: MIT License
        Requires-Python: >=3.8
        Requires-Dist: requests (>=2.0)
        Requires-Dist: pytest ; extra == 'test'
        Provides-Extra: test
        Project-URL: Source, https://example.com/src
        Description-Content-Type: text/markdown

        # Sample

        The body is the description.

        """;

    [Fact]
    public void Parses_fields_multiple_use_fields_continuations_and_the_body()
    {
        CoreMetadata.TryParse(Modern, out var m, out var error).Should().BeTrue(error);
        m!.MetadataVersion.Should().Be("2.1");
        m.Name.Normalized.Should().Be("sample-project");
        m.Version.ToString().Should().Be("1.0rc1");
        m.Summary.Should().Be("A sample");
        m.HomePage.Should().Be("https://example.com");
        m.Author.Should().Be("A. Person");
        m.AuthorEmail.Should().Be("a@example.com");
        m.License.Should().Be("MIT License\nCopyright (c) someone");
        m.Classifiers.Should().Equal("Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License");
        m.RequiresPython.Should().Be(">=3.8");
        m.RequiresDist.Should().Equal("requests (>=2.0)", "pytest ; extra == 'test'");
        m.ProvidesExtra.Should().Equal("test");
        m.ProjectUrls.Should().Equal("Source, https://example.com/src");
        m.DescriptionContentType.Should().Be("text/markdown");
        m.Description.Should().Be("# Sample\n\nThe body is the description.");
        m.Single("home-PAGE").Should().Be("https://example.com");
        m.Keywords.Should().BeNull();
    }

    [Fact]
    public void Maps_to_devpi_verdata_with_empty_defaults()
    {
        CoreMetadata.TryParse(Modern, out var m, out _).Should().BeTrue();
        var v = m!.ToVerdata();
        v["name"].Should().Be("Sample_Project");
        v["version"].Should().Be("1.0rc1");
        v["summary"].Should().Be("A sample");
        v["requires_python"].Should().Be(">=3.8");
        v["home_page"].Should().Be("https://example.com");
        v["requires_dist"].Should().BeEquivalentTo(new[] { "requests (>=2.0)", "pytest ; extra == 'test'" });
        v["classifiers"].Should().BeEquivalentTo(new[] { "Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License" });
        v["provides_extra"].Should().BeEquivalentTo(new[] { "test" });
        v["keywords"].Should().Be("");
        v["maintainer"].Should().Be("");
        v["platform"].Should().BeEquivalentTo(Array.Empty<string>());
        v["description"].Should().Be("# Sample\n\nThe body is the description.");
        v.Keys.Should().BeEquivalentTo(VerdataKeys.All);
    }

    [Fact]
    public void Reads_metadata_1_0_with_an_indented_description_field()
    {
        const string old = "Metadata-Version: 1.0\r\nName: old\r\nVersion: 0.1\r\nDescription: First line\r\n        |\r\n        |  indented\r\n        |last\r\nPlatform: UNKNOWN\r\n";
        CoreMetadata.TryParse(old, out var m, out var error).Should().BeTrue(error);
        m!.Description.Should().Be("First line\n\n  indented\nlast");
        m.All("Platform").Should().Equal("UNKNOWN");
    }

    [Theory]
    [InlineData("Name: x\nVersion: 1.0\n", "no Metadata-Version")]
    [InlineData("Metadata-Version: 3.0\nName: x\nVersion: 1.0\n", "not supported")]
    [InlineData("Metadata-Version: 2.1\nVersion: 1.0\n", "no Name")]
    [InlineData("Metadata-Version: 2.1\nName: x y\nVersion: 1.0\n", "Name")]
    [InlineData("Metadata-Version: 2.1\nName: x\n", "no Version")]
    [InlineData("Metadata-Version: 2.1\nName: x\nVersion: 1.0-beta-x\n", "PEP 440")]
    [InlineData("Metadata-Version: 2.1\nName: x\0\nVersion: 1.0\n", "NUL")]
    public void Refuses_incomplete_or_invalid_metadata(string text, string reason)
    {
        CoreMetadata.TryParse(text, out var m, out var error).Should().BeFalse();
        m.Should().BeNull();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Refuses_bytes_that_are_not_utf8_and_accepts_a_bom()
    {
        var latin1 = Encoding.Latin1.GetBytes("Metadata-Version: 2.1\nName: x\nVersion: 1.0\nAuthor: Jürgen\n");
        CoreMetadata.TryParse(latin1, out _, out var error).Should().BeFalse();
        error.Should().Contain("UTF-8");

        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("Metadata-Version: 2.4\nName: x\nVersion: 1.0\nAuthor: Jürgen\n")).ToArray();
        CoreMetadata.TryParse(withBom, out var m, out error).Should().BeTrue(error);
        m!.Author.Should().Be("Jürgen");
    }
}
