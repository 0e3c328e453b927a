using Wheelhouse.Packaging.Versioning;

namespace Wheelhouse.Packaging.Tests.Versioning;

public sealed class GitVersionTests
{
    [Theory]
    [InlineData("v1.2.3-0-gabc1234", "1.2.3-1")]
    [InlineData("v1.2.3-5-gabc1234\n", "1.2.4~dev.5+gabc1234-1")]
    [InlineData("v0.9.0-120-gDEADBEEF", "0.9.1~dev.120+gdeadbeef-1")]
    [InlineData("v2.0.0-rc.1-0-g1234567", "2.0.0~rc.1-1")]
    [InlineData("v2.0.0-rc.1-3-g1234567", "2.0.0~rc.1.dev.3+g1234567-1")]
    public void Maps_git_describe_output(string describe, string expected) =>
        GitVersion.FromDescribe(describe).ToString().Should().Be(expected);

    [Fact]
    public void Untagged_history_gives_a_dev_version_below_every_release() =>
        GitVersion.Untagged(42, "abc1234").ToString().Should().Be("0.0.0~dev.42+gabc1234-1");

    [Theory]
    [InlineData("1.2.3-0-gabc1234")]
    [InlineData("v1.2-0-gabc1234")]
    [InlineData("v1.2.3")]
    [InlineData("release-1-0-gabc1234")]
    [InlineData("v1.2.3-0-gxyz")]
    public void Rejects_describe_output_it_cannot_map(string describe)
    {
        var map = () => GitVersion.FromDescribe(describe);

        map.Should().Throw<FormatException>().WithMessage("*expected v<major>.<minor>.<patch>*");
    }

    [Fact]
    public void Development_versions_sort_between_their_tag_and_the_next_release()
    {
        var tag = GitVersion.FromDescribe("v1.2.3-0-gaaaaaaa");
        var dev1 = GitVersion.FromDescribe("v1.2.3-1-gbbbbbbb");
        var dev2 = GitVersion.FromDescribe("v1.2.3-2-g0000000");
        var dev10 = GitVersion.FromDescribe("v1.2.3-10-gccccccc");
        var rc = GitVersion.FromDescribe("v1.2.4-rc.1-0-gddddddd");
        var rcDev = GitVersion.FromDescribe("v1.2.4-rc.1-4-geeeeeee");
        var next = GitVersion.FromDescribe("v1.2.4-0-gfffffff");
        var minor = GitVersion.FromDescribe("v1.3.0-0-g1111111");

        new[] { tag, dev1, dev2, dev10, next, minor }.Should().BeInAscendingOrder();
        new[] { tag, rc, rcDev, next }.Should().BeInAscendingOrder();
        GitVersion.Untagged(500, "abcdef0").Should().BeLessThan(GitVersion.FromDescribe("v0.0.1-0-g1234567"));
    }
}
