using Wheelhouse.Build.Testing;

namespace Wheelhouse.Build.Tests.Testing;

/// <summary>The closing line .ci/run sums: every .trx of a run counted once, every kind of failure counted as failed.</summary>
public sealed class TrxSummaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-trx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Trx(string name, string counters, params (string Test, string Outcome)[] results)
    {
        var path = Path.Combine(_dir, name);
        var rows = string.Concat(results.Select(r => $"""<UnitTestResult testName="{r.Test}" outcome="{r.Outcome}" />"""));
        return Write(path, rows, counters);
    }

    private static string Write(string path, string rows, string counters)
    {
        File.WriteAllText(path, $"""
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>{rows}</Results>
              <ResultSummary><Counters {counters} /></ResultSummary>
            </TestRun>
            """);
        return path;
    }

    [Fact]
    public void Sums_every_file_and_names_each_failed_test()
    {
        var a = Trx("a.trx", """total="5" passed="4" failed="1" """, ("A.one", "Passed"), ("A.two", "Failed"));
        var b = Trx("b.trx", """total="4" passed="2" error="1" timeout="1" notExecuted="3" """, ("B.one", "Error"), ("B.two", "Timeout"));

        var summary = TrxSummary.Read([a, b]);

        summary.Should().BeEquivalentTo(new { Passed = 6, Failed = 3, Skipped = 3 });
        summary.FailedTests.Should().Equal("A.two", "B.one", "B.two");
        summary.ClosingLine.Should().Be("6 passed, 3 failed, 3 skipped");
    }

    [Fact]
    public void The_closing_line_leaves_out_skipped_when_none_were()
    {
        TrxSummary.Read([Trx("a.trx", """passed="7" failed="0" """)]).ClosingLine.Should().Be("7 passed, 0 failed");
        TrxSummary.Read([]).ClosingLine.Should().Be("0 passed, 0 failed");
    }

    [Fact]
    public void A_file_without_counters_or_not_xml_is_an_error_naming_it()
    {
        var empty = Path.Combine(_dir, "empty.trx");
        File.WriteAllText(empty, """<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010" />""");
        var broken = Path.Combine(_dir, "broken.trx");
        File.WriteAllText(broken, "<TestRun");

        FluentActions.Invoking(() => TrxSummary.Read([empty])).Should().Throw<InvalidOperationException>().WithMessage($"*{empty}*no <Counters>*");
        FluentActions.Invoking(() => TrxSummary.Read([broken])).Should().Throw<InvalidOperationException>().WithMessage($"cannot read test results {broken}*");
    }

    [Fact]
    public void A_failed_test_is_named_with_its_message_on_one_line()
    {
        // As dotnet test's trx logger writes a failed xunit test: the message, then the stack trace.
        var rows = """
            <UnitTestResult testName="A.counts" outcome="Failed"><Output><ErrorInfo>
              <Message>

            Expected upstream.Hits("/simple/") to be 4, but found 5.
            second line</Message>
              <StackTrace>   at A.counts() in A.cs:line 33</StackTrace>
            </ErrorInfo></Output></UnitTestResult>
            <UnitTestResult testName="A.silent" outcome="Failed"><Output><ErrorInfo><Message></Message></ErrorInfo></Output></UnitTestResult>
            """;
        var trx = Write(Path.Combine(_dir, "m.trx"), rows, """passed="0" failed="2" """);

        TrxSummary.Read([trx]).FailedTests.Should().Equal("""A.counts: Expected upstream.Hits("/simple/") to be 4, but found 5. | second line""", "A.silent");
    }
}
