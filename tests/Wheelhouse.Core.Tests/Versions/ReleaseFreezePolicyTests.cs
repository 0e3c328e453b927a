using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;
using static Wheelhouse.Core.Versions.ReleaseFreezePolicy;

namespace Wheelhouse.Core.Tests.Versions;

public class ReleaseFreezePolicyTests
{
    private static readonly IndexPath Prod = IndexPath.Parse("team/prod");
    private static readonly IndexConfig NonVolatile = IndexConfig.DefaultStage(UserName.Parse("team")) with { Volatile = false };
    private static readonly ProjectName Demo = ProjectName.Parse("demo");
    private static readonly StoredRelease Released = new("1.0", ["aaa"]);

    private static Decision Check(string version, string? sha, IndexConfig? config = null, params StoredRelease[] stored) =>
        ReleaseFreezePolicy.Check(Prod, config ?? NonVolatile, Demo, Pep440Version.Parse(version), sha, () => stored);

    [Fact]
    public void Volatile_indexes_are_not_bound() =>
        Check("1.0.0", null, IndexConfig.DefaultStage(UserName.Parse("team")), Released).Should().Be(new Decision.Proceed(true));

    [Fact]
    public void Metadata_is_frozen_once_the_release_has_a_file()
    {
        Check("1.0", null, null, Released).Should().BeOfType<Decision.Refuse>().Which.Reason.Should().Contain("frozen");
        Check("1.0", "bbb", null, Released).Should().Be(new Decision.Proceed(false));
        Check("1.0", null, null, new StoredRelease("1.0", [])).Should().Be(new Decision.Proceed(true));
        Check("2.0", null, null, Released).Should().Be(new Decision.Proceed(true));
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.0.0.0")]
    public void A_pep_440_equal_spelling_is_the_existing_release(string version)
    {
        Check(version, "bbb", null, Released).Should().BeOfType<Decision.Refuse>().Which.Reason.Should().Contain("existing release 1.0");
        Check(version, "aaa", null, Released).Should().BeOfType<Decision.AlreadyStored>();
    }
}
