using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Core.Tests.Indexes;

public class MirrorWhitelistPolicyTests
{
    private static MirrorWhitelistDecision Decide(IndexLayout layout, string start, string project, params string[] holders) =>
        MirrorWhitelistPolicy.Decide(layout.Order(start), ProjectName.Parse(project), p => holders.Contains(p.ToString()));

    [Fact]
    public void Consults_the_mirror_for_a_project_no_stage_holds()
    {
        var d = Decide(IndexLayout.Department(), "team/dev", "numpy");
        d.Consult.Select(i => i.Path.ToString()).Should().Equal("root/pypi");
        d.BlockedMirrors.Should().BeEmpty();
    }

    [Fact]
    public void Blocks_the_mirror_once_a_stage_holds_the_project()
    {
        var d = Decide(IndexLayout.Department(), "team/dev", "internal-lib", "team/staging", "shared/stable-local");
        d.Consult.Select(i => i.Path.ToString()).Should().Equal("team/staging", "shared/stable-local");
        d.BlockedMirrors.Select(p => p.ToString()).Should().Equal("root/pypi");
        d.WhitelistedAt.Should().BeNull();
    }

    [Fact]
    public void Intersection_needs_the_whitelist_on_every_stage_walked()
    {
        // Queried from shared/stable: its own empty whitelist intersected with thirdparty's stays empty.
        Decide(IndexLayout.Department(), "shared/stable", "requests", "shared/thirdparty-local").BlockedMirrors.Should().HaveCount(1);
        // Queried from thirdparty-local itself, the whitelist applies.
        var own = Decide(IndexLayout.Department(), "shared/thirdparty-local", "requests", "shared/thirdparty-local");
        own.BlockedMirrors.Should().BeEmpty();
    }

    [Fact]
    public void Union_accumulates_whitelists_along_the_way()
    {
        var layout = IndexLayout.Department(MirrorWhitelistInheritance.Union);
        var d = Decide(layout, "team/dev", "Requests", "shared/thirdparty-local");
        d.BlockedMirrors.Should().BeEmpty();
        d.Consult.Select(i => i.Path.ToString()).Should().Equal("shared/thirdparty-local", "root/pypi");
        d.WhitelistedAt.Should().Be(IndexPath.Parse("shared/thirdparty-local"));
        // Only the queried index's mode counts: team/staging is intersection but is not the one queried.
        Decide(layout, "team/dev", "other", "shared/thirdparty-local").BlockedMirrors.Should().HaveCount(1);
    }

    [Fact]
    public void A_star_or_the_name_on_the_queried_index_whitelists()
    {
        Decide(IndexLayout.Department(devWhitelist: ["*"]), "team/dev", "anything", "team/dev").BlockedMirrors.Should().BeEmpty();
        Decide(IndexLayout.Department(devWhitelist: ["foo-bar"]), "team/dev", "Foo.Bar", "team/dev").BlockedMirrors.Should().BeEmpty();
        Decide(IndexLayout.Department(devWhitelist: ["foo-bar"]), "team/dev", "foo-baz", "team/dev").BlockedMirrors.Should().HaveCount(1);
    }

    [Fact]
    public void Never_asks_a_mirror_whether_it_holds_the_project()
    {
        var asked = new List<string>();
        MirrorWhitelistPolicy.Decide(IndexLayout.Department().Order("team/dev"), ProjectName.Parse("x"), p => { asked.Add(p.ToString()); return false; });
        asked.Should().NotContain("root/pypi").And.HaveCount(5);
    }
}
