using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Versions;

namespace Wheelhouse.Core.Tests.Versions;

public class PreReleasePolicyTests
{
    private static readonly IndexPath Stable = IndexPath.Parse("shared/stable-local");
    private static readonly IndexConfig Refusing = IndexConfig.DefaultStage(UserName.Parse("shared")) with { RefusePrereleases = true };

    [Theory]
    [InlineData("1.0rc1", "pre-release")]
    [InlineData("1.0a1", "pre-release")]
    [InlineData("1.0.dev3", "development release")]
    [InlineData("1.0.post1.dev1", "development release")]
    public void Refuses_pre_and_dev_releases_naming_version_and_option(string version, string kind)
    {
        var message = PreReleasePolicy.Check(Stable, Refusing, Pep440Version.Parse(version));
        message.Should().Contain(Pep440Version.Parse(version).ToString()).And.Contain(kind).And.Contain("refuse_prereleases").And.Contain("shared/stable-local");
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.0.post1")]
    [InlineData("1.0+local")]
    public void Accepts_final_releases(string version) =>
        PreReleasePolicy.Check(Stable, Refusing, Pep440Version.Parse(version)).Should().BeNull();

    [Fact]
    public void Accepts_everything_without_the_option() =>
        PreReleasePolicy.Check(Stable, Refusing with { RefusePrereleases = false }, Pep440Version.Parse("1.0rc1")).Should().BeNull();
}
