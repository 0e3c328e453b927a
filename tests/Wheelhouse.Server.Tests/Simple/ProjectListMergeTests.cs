using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Tests.Simple;

public sealed class ProjectListMergeTests
{
    [Fact]
    public void The_union_is_sorted_ordinally_and_each_name_keeps_the_first_stage_s_display_name()
    {
        var merged = ProjectListMerge.Merge(
        [
            [("beta", "Beta"), ("delta", "delta")],
            [],
            [("alpha", "ALPHA"), ("beta", "BETA-later"), ("gamma", "Gamma")],
            [("beta", "b"), ("zeta", "Zeta"), ("a-b", "A-B")],
        ]);

        merged.Should().Equal(("a-b", "A-B"), ("alpha", "ALPHA"), ("beta", "Beta"), ("delta", "delta"), ("gamma", "Gamma"), ("zeta", "Zeta"));
    }

    [Fact]
    public void A_stage_s_list_that_arrives_unsorted_or_with_a_name_twice_is_sorted_and_keeps_its_first_entry()
    {
        var merged = ProjectListMerge.Merge([[("zeta", "Zeta"), ("Alpha", "x"), ("alpha", "first"), ("alpha", "second")], [("beta", "Beta")]]);

        merged.Should().Equal(("Alpha", "x"), ("alpha", "first"), ("beta", "Beta"), ("zeta", "Zeta"));
    }

    [Fact]
    public void One_stage_s_sorted_list_is_the_list_itself()
    {
        IReadOnlyList<(string, string)> only = [("a", "A"), ("b", "B")];

        ProjectListMerge.Merge([[], only, []]).Should().BeSameAs(only);
    }
}
