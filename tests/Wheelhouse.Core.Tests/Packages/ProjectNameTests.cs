using Wheelhouse.Core.Packages;

namespace Wheelhouse.Core.Tests.Packages;

public class ProjectNameTests
{
    [Theory]
    [InlineData("friendly-bard", "friendly-bard")]
    [InlineData("Friendly-Bard", "friendly-bard")]
    [InlineData("FRIENDLY-BARD", "friendly-bard")]
    [InlineData("friendly.bard", "friendly-bard")]
    [InlineData("friendly_bard", "friendly-bard")]
    [InlineData("friendly--bard", "friendly-bard")]
    [InlineData("FrIeNdLy-._.-bArD", "friendly-bard")]
    [InlineData("a", "a")]
    [InlineData("Z9", "z9")]
    [InlineData("zope.interface", "zope-interface")]
    public void Normalizes_as_pep503(string raw, string normalized)
    {
        ProjectName.TryParse(raw, out var name, out var error).Should().BeTrue(error);
        name!.Normalized.Should().Be(normalized);
        name.Raw.Should().Be(raw);
        name.ToString().Should().Be(raw);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-foo")]
    [InlineData("foo-")]
    [InlineData(".foo")]
    [InlineData("foo_")]
    [InlineData("foo bar")]
    [InlineData("foo/bar")]
    [InlineData("../etc")]
    [InlineData("föö")]
    [InlineData("foo\nbar")]
    [InlineData("foo\0")]
    [InlineData("+simple")]
    [InlineData("\u212Aelvin")] // KELVIN SIGN: a case-insensitive [A-Z] matches it
    [InlineData("\u017Fpam")] // LATIN SMALL LETTER LONG S, folds to 's'
    [InlineData("\u0130nfo")] // LATIN CAPITAL LETTER I WITH DOT ABOVE
    [InlineData("nl-pkg\n")] // '$' matches before a final newline
    [InlineData("nl-pkg\r\n")]
    public void Rejects_invalid_names_with_a_message(string raw)
    {
        ProjectName.TryParse(raw, out var name, out var error).Should().BeFalse();
        name.Should().BeNull();
        error.Should().NotBeNullOrWhiteSpace();
        error.Should().NotContain("\n").And.NotContain("\0");
    }

    [Fact]
    public void Rejects_over_long_names()
    {
        ProjectName.TryParse(new string('a', ProjectName.MaxLength), out _, out _).Should().BeTrue();
        ProjectName.TryParse(new string('a', ProjectName.MaxLength + 1), out _, out var error).Should().BeFalse();
        error.Should().Contain("at most");
    }

    [Fact]
    public void Equality_is_on_the_normalized_name()
    {
        var a = ProjectName.Parse("Foo_Bar");
        var b = ProjectName.Parse("foo.bar");
        a.Should().Be(b);
        (a == b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(ProjectName.Parse("foobar"));
        a.CompareTo(b).Should().Be(0);
    }

    [Fact]
    public void Knows_whether_it_is_normalized_and_escapes_for_file_names()
    {
        ProjectName.Parse("foo-bar").IsNormalized.Should().BeTrue();
        ProjectName.Parse("Foo-bar").IsNormalized.Should().BeFalse();
        ProjectName.Parse("Foo.Bar-baz").FileNameEscaped.Should().Be("foo_bar_baz");
    }

    [Fact]
    public void Parse_throws_on_invalid_input()
    {
        var act = () => ProjectName.Parse("-x");
        act.Should().Throw<FormatException>();
    }
}
