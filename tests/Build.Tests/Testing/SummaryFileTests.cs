using Wheelhouse.Build.Testing;

namespace Wheelhouse.Build.Tests.Testing;

/// <summary>The file .ci/run reads: what failed, a line each, then the closing line it sums, last.</summary>
public sealed class SummaryFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Directory.CreateTempSubdirectory("wh-summary-").FullName, "test-results");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);

    [Fact]
    public void Failures_come_first_a_line_each_and_the_closing_line_last()
    {
        SummaryFile.Write(_dir, "integration-test", "462 passed, 2 failed",
            ["Ldap.DirectoryLoginTests.Basic_auth", "ContainerProof: nginx did not answer\n  at the stack trace"]);

        File.ReadAllLines(SummaryFile.PathOf(_dir, "integration-test")).Should().Equal(
            "failed: Ldap.DirectoryLoginTests.Basic_auth",
            "failed: ContainerProof: nginx did not answer",
            "462 passed, 2 failed");
    }

    [Fact]
    public void A_run_without_failures_writes_the_closing_line_only()
    {
        SummaryFile.Write(_dir, "unit-test", "957 passed, 0 failed", []);

        File.ReadAllText(SummaryFile.PathOf(_dir, "unit-test")).Should().Be("957 passed, 0 failed\n");
    }

    [Fact]
    public void A_long_failure_is_cut_so_the_tail_of_the_log_stays_readable()
    {
        SummaryFile.Write(_dir, "verify-install", "3 passed, 1 failed", [new string('x', 1000)]);

        var first = File.ReadAllLines(SummaryFile.PathOf(_dir, "verify-install"))[0];
        first.Should().Be("failed: " + new string('x', SummaryFile.MaxFailureLength) + "...");
    }
}
