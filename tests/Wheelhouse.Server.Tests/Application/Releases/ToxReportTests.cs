using System.Text;
using Wheelhouse.Server.Application.Releases;

namespace Wheelhouse.Server.Tests.Application.Releases;

/// <summary>tox's JSON report as tox 3 (return codes as strings) and tox 4 (numbers) write it.</summary>
public sealed class ToxReportTests
{
    private static ToxReport? Parse(string json) => ToxReport.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Each_environment_passes_only_when_every_setup_and_test_command_returned_0()
    {
        var report = Parse("""
            {"host": "ci", "platform": "linux", "testenvs": {
              "py3": {"setup": [{"retcode": "0"}], "test": [{"retcode": "0"}, {"retcode": "0"}], "python": {"version": "3.11.2 (main, Mar 13 2023) [GCC 12]"}},
              "lint": {"setup": [{"retcode": 0}], "test": [{"retcode": 0}, {"retcode": 2}]},
              "broken": {"setup": [{"retcode": "1"}]},
              "docs": {"setup": [{"retcode": 0}], "test": []},
              "odd": {"test": [{"retcode": null}]}}}
            """);

        report.Should().BeEquivalentTo(new ToxReport("ci", "linux", [
            new("broken", "", ToxReport.Outcome.Failed),
            new("docs", "", ToxReport.Outcome.NotRun),
            new("lint", "", ToxReport.Outcome.Failed),
            new("odd", "", ToxReport.Outcome.Failed),
            new("py3", "3.11.2", ToxReport.Outcome.Passed),
        ]), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    public void What_is_not_a_json_object_reads_as_nothing(string body) => Parse(body).Should().BeNull();

    [Fact]
    public void A_report_of_another_shape_has_no_environments() =>
        Parse("""{"testenvs": ["py3"], "host": 7}""").Should().BeEquivalentTo(new ToxReport("", "", []));
}
