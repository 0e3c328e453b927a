using Wheelhouse.Packaging.Versioning;

namespace Wheelhouse.Packaging.Tests.Versioning;

public sealed class DebianVersionTests
{
    [Theory]
    [InlineData("1.2.3-1", 0, "1.2.3", "1")]
    [InlineData("2:1.0~rc1+dfsg-0ubuntu1.1", 2, "1.0~rc1+dfsg", "0ubuntu1.1")]
    [InlineData("1.0-beta-2", 0, "1.0-beta", "2")]
    [InlineData("7", 0, "7", "")]
    [InlineData("0:1.0", 0, "1.0", "")]
    public void Parses_epoch_upstream_and_revision(string text, int epoch, string upstream, string revision)
    {
        var version = DebianVersion.Parse(text);

        version.Epoch.Should().Be(epoch);
        version.Upstream.Should().Be(upstream);
        version.Revision.Should().Be(revision);
    }

    [Theory]
    [InlineData("1.2.3-1")]
    [InlineData("2:1.0~rc1+dfsg-0ubuntu1.1")]
    [InlineData("1.0")]
    public void Formats_back_to_the_same_text(string text) => DebianVersion.Parse(text).ToString().Should().Be(text);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a1.0", "does not start with a digit")]
    [InlineData("1.0-", "revision number is empty")]
    [InlineData("x:1.0", "epoch in version is not a number")]
    [InlineData("1:", "nothing after colon")]
    [InlineData("1.0 beta", "embedded spaces")]
    [InlineData("1.0_2", "invalid character '_' in upstream version")]
    [InlineData("1.0-a_b", "invalid character '_' in revision number")]
    [InlineData("1:2:3", "invalid character ':' in upstream version")]
    public void Rejects_invalid_versions_with_the_reason(string text, string reason)
    {
        var parse = () => DebianVersion.Parse(text);

        parse.Should().Throw<FormatException>().WithMessage($"*{reason}*");
    }

    [Theory]
    [InlineData("1.0~rc1", "1.0")]
    [InlineData("1.0", "1.0+b1")]
    [InlineData("1.0", "1.0a")]
    [InlineData("1.0a", "1.0+")]
    [InlineData("1.9", "1.10")]
    [InlineData("1.0-1", "1.0-1.1")]
    [InlineData("1:0.1", "2:0.0")]
    [InlineData("9.9", "1:0.1")]
    [InlineData("1.0~~", "1.0~")]
    [InlineData("1.2.3-1", "1.2.4~dev.1+gabc-1")]
    public void Orders_like_dpkg(string lower, string higher)
    {
        var a = DebianVersion.Parse(lower);
        var b = DebianVersion.Parse(higher);

        a.CompareTo(b).Should().BeNegative();
        b.CompareTo(a).Should().BePositive();
        (a < b).Should().BeTrue();
    }

    [Theory]
    [InlineData("1.0", "1.00")]
    [InlineData("1.0", "0:1.0")]
    [InlineData("1.0", "1.0-0")]
    [InlineData("1.01-a0", "1.1-a")]
    public void Equal_versions_are_equal_and_hash_alike(string x, string y)
    {
        var a = DebianVersion.Parse(x);
        var b = DebianVersion.Parse(y);

        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
    }
}
