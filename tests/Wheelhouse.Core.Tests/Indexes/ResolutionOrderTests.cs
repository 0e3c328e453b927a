using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Tests.Indexes;

public class ResolutionOrderTests
{
    [Fact]
    public void Walks_the_department_layout_breadth_first_with_the_mirror_last()
    {
        IndexLayout.Department().Order("team/dev").Paths.Select(p => p.ToString()).Should().Equal(
            "team/dev", "team/staging", "shared/stable", "shared/stable-local", "shared/thirdparty-local", "root/pypi");
    }

    [Fact]
    public void Visits_each_index_once_in_diamonds_and_cycles()
    {
        var layout = new IndexLayout()
            .Stage("u/a", ["u/b", "u/c"])
            .Stage("u/b", ["u/d", "u/a"])
            .Stage("u/c", ["u/d", "u/e"])
            .Stage("u/d", ["u/b"])
            .Stage("u/e");
        layout.Order("u/a").Paths.Select(p => p.ToString()).Should().Equal("u/a", "u/b", "u/c", "u/d", "u/e");
    }

    [Fact]
    public void Puts_every_mirror_after_every_stage_in_the_order_met()
    {
        var layout = new IndexLayout()
            .Stage("u/a", ["m/one", "u/b"])
            .Stage("u/b", ["m/two", "u/c"])
            .Stage("u/c", ["m/one"])
            .Mirror("m/one")
            .Mirror("m/two");
        layout.Order("u/a").Paths.Select(p => p.ToString()).Should().Equal("u/a", "u/b", "u/c", "m/one", "m/two");
    }

    [Fact]
    public void Skips_missing_bases_and_answers_null_for_a_missing_start()
    {
        var layout = new IndexLayout().Stage("u/a", ["u/gone", "u/b"]).Stage("u/b");
        layout.Order("u/a").Paths.Select(p => p.ToString()).Should().Equal("u/a", "u/b");
        ResolutionOrder.Compute(IndexPath.Parse("u/none"), layout.Lookup).Should().BeNull();
        layout.Order("u/a").Start.Path.Should().Be(IndexPath.Parse("u/a"));
    }
}
