using Wheelhouse.Packaging.Layout;

namespace Wheelhouse.Packaging.Tests.Layout;

public sealed class PackageBuildScheduleTests
{
    [Theory]
    [InlineData(2, 1, 1, 1)]
    [InlineData(2, 2, 1, 2)]
    [InlineData(2, 3, 1, 3)]
    [InlineData(2, 4, 2, 2)]
    [InlineData(2, 16, 2, 8)]
    [InlineData(1, 8, 1, 8)]
    [InlineData(3, 6, 3, 2)]
    [InlineData(0, 0, 1, 1)]
    public void Packages_go_side_by_side_from_four_cores_sharing_them(int packages, int processors, int concurrent, int threadsEach)
    {
        PackageBuildSchedule.For(packages, processors).Should().Be(new PackageBuildSchedule(concurrent, threadsEach));
    }
}
