using Wheelhouse.Core.Versions;

namespace Wheelhouse.Core.Tests.Versions;

public class Pep440VersionTests
{
    [Theory]
    // Spelling variants from PEP 440 "Normalization".
    [InlineData("1.0", "1.0")]
    [InlineData("v1.0", "1.0")]
    [InlineData("V1.0", "1.0")]
    [InlineData("  1.0\n", "1.0")]
    [InlineData("1.0a", "1.0a0")]
    [InlineData("1.0alpha1", "1.0a1")]
    [InlineData("1.0-a.1", "1.0a1")]
    [InlineData("1.0_A_1", "1.0a1")]
    [InlineData("1.0beta2", "1.0b2")]
    [InlineData("1.0c3", "1.0rc3")]
    [InlineData("1.0pre4", "1.0rc4")]
    [InlineData("1.0preview5", "1.0rc5")]
    [InlineData("1.0RC1", "1.0rc1")]
    [InlineData("1.0-post1", "1.0.post1")]
    [InlineData("1.0post", "1.0.post0")]
    [InlineData("1.0.rev2", "1.0.post2")]
    [InlineData("1.0r3", "1.0.post3")]
    [InlineData("1.0-1", "1.0.post1")]
    [InlineData("1.0-0", "1.0.post0")]
    [InlineData("1.0dev", "1.0.dev0")]
    [InlineData("1.0-dev-7", "1.0.dev7")]
    [InlineData("1.0.DEV3", "1.0.dev3")]
    [InlineData("01.002.0003", "1.2.3")]
    [InlineData("0!1.0", "1.0")]
    [InlineData("2!1.0", "2!1.0")]
    [InlineData("1.0+Ubuntu-1", "1.0+ubuntu.1")]
    [InlineData("1.0+abc_007.x", "1.0+abc.7.x")]
    [InlineData("1.0a1.post2.dev3+local", "1.0a1.post2.dev3+local")]
    [InlineData("99999999999999999999999999.1", "99999999999999999999999999.1")]
    public void Normalizes_like_packaging(string input, string normalized)
    {
        Pep440Version.TryParse(input, out var version, out var error).Should().BeTrue(error);
        version!.ToString().Should().Be(normalized);
        version.Normalized.Should().Be(normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1.0 beta")]
    [InlineData("french toast")]
    [InlineData("1.0-")]
    [InlineData("1..0")]
    [InlineData(".1")]
    [InlineData("1.0+")]
    [InlineData("1.0+a..b")]
    [InlineData("1.0+-x")]
    [InlineData("1.0.dev1.post1")]
    [InlineData("1.0a1a2")]
    [InlineData("1!2!3")]
    [InlineData("1.0\0")]
    [InlineData("１.0")] // full-width digit
    [InlineData("1.0\u00a0")] // packaging trims Unicode white space; we trim ASCII white space only
    [InlineData("1.0+ſ")] // Python's re.IGNORECASE would read this as 's'; we refuse non-ASCII
    public void Refuses_what_is_not_pep440_with_a_message(string input)
    {
        Pep440Version.TryParse(input, out var version, out var error).Should().BeFalse();
        version.Should().BeNull();
        error.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Refuses_over_long_strings()
    {
        Pep440Version.TryParse("1." + new string('0', Pep440Version.MaxLength), out _, out var error).Should().BeFalse();
        error.Should().Contain("at most");
    }

    [Fact]
    public void Orders_the_pep_440_example_list()
    {
        string[] expected =
        [
            "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
            "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1",
        ];
        var shuffled = expected.Reverse().Select(Pep440Version.Parse).ToList();
        shuffled.Sort();
        shuffled.Select(v => v.ToString()).Should().Equal(expected);
    }

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1", "1.0.0.0")]
    [InlineData("1.0a", "1.0a0")]
    [InlineData("0!1.0", "1.0")]
    [InlineData("1.0+abc.01", "1.0+ABC-1")]
    public void Equal_versions_compare_and_hash_equal(string a, string b)
    {
        var x = Pep440Version.Parse(a);
        var y = Pep440Version.Parse(b);
        x.Should().Be(y);
        (x == y).Should().BeTrue();
        x.CompareTo(y).Should().Be(0);
        x.GetHashCode().Should().Be(y.GetHashCode());
    }

    [Theory]
    [InlineData("1.0.dev1", "1.0a1")]
    [InlineData("1.0a1", "1.0")]
    [InlineData("1.0", "1.0+local")]
    [InlineData("1.0+local", "1.0.post0")]
    [InlineData("1.0+abc", "1.0+1")]
    [InlineData("1.0+1abc", "1.0+1")] // "1abc" is a string segment, below every number
    [InlineData("1.0+1", "1.0+1.a")]
    [InlineData("1.0+9", "1.0+10")]
    [InlineData("1.0.post1.dev1", "1.0.post1")]
    [InlineData("1.1.dev1", "1.1")]
    [InlineData("5.0", "1!0.1")]
    [InlineData("1.0", "1.0.1")]
    [InlineData("1.0rc1", "1.0.post0.dev0")]
    public void Orders_pairs(string lower, string higher)
    {
        var a = Pep440Version.Parse(lower);
        var b = Pep440Version.Parse(higher);
        a.CompareTo(b).Should().BeNegative();
        b.CompareTo(a).Should().BePositive();
        (a < b).Should().BeTrue();
        (b >= a).Should().BeTrue();
        a.Should().NotBe(b);
    }

    [Theory]
    [InlineData("1.0", false, false, false)]
    [InlineData("1.0a1", true, false, false)]
    [InlineData("1.0rc1.post1", true, true, false)]
    [InlineData("1.0.dev0", true, false, true)]
    [InlineData("1.0.post1.dev1", true, true, true)]
    [InlineData("1.0.post1", false, true, false)]
    [InlineData("1.0+local", false, false, false)]
    public void Reports_release_kinds_like_packaging(string input, bool pre, bool post, bool dev)
    {
        var v = Pep440Version.Parse(input);
        v.IsPreRelease.Should().Be(pre);
        v.IsPostRelease.Should().Be(post);
        v.IsDevRelease.Should().Be(dev);
    }

    [Fact]
    public void Exposes_its_parts()
    {
        var v = Pep440Version.Parse("2!1.02.3-RC4.post5.dev6+Ubuntu_7");
        v.Epoch.Should().Be(2);
        v.Release.Should().Equal(1, 2, 3);
        v.Pre.Should().Be(new PreRelease("rc", 4));
        v.Post.Should().Be(new System.Numerics.BigInteger(5));
        v.Dev.Should().Be(new System.Numerics.BigInteger(6));
        v.Local.Should().Be("ubuntu.7");
        v.HasLocal.Should().BeTrue();
        v.Public.Should().Be("2!1.2.3rc4.post5.dev6");
        v.BaseVersion.Should().Be("2!1.2.3");
        Pep440Version.Parse("1.0").Local.Should().BeNull();
    }
}
