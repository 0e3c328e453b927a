using Wheelhouse.Build.InstallProof;

namespace Wheelhouse.Build.Tests.InstallProof;

public sealed class HostProcessTests
{
    [Theory]
    [InlineData("1437 (systemd-nspawn) S 1 1437 1437 0 -1 4194560", 1)]
    [InlineData("1440 (systemd) S 1437 1440 1440 0 -1", 1437)]
    [InlineData("99 (a (weird) name) R 42 99 99", 42)]
    public void Parent_pid_is_read_after_the_command_name(string stat, int parent) =>
        HostProcess.ParentPidFromStat(stat).Should().Be(parent);

    [Fact]
    public void Parent_pid_of_garbage_is_null() => HostProcess.ParentPidFromStat("no parentheses here").Should().BeNull();

    [Integration]
    [Fact]
    public async Task A_started_process_is_a_child_of_ours_and_stops_on_sigterm_before_the_grace_ends()
    {
        var log = new StringWriter();
        await using var sleeper = HostProcess.Start(["sleep", "60"], log, "test");
        HostProcess.ChildrenOf(Environment.ProcessId).Should().Contain(sleeper.Pid);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await sleeper.StopAsync(TimeSpan.FromSeconds(20));
        sleeper.HasExited.Should().BeTrue();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "sleep dies on SIGTERM; waiting out the grace would mean no SIGTERM was sent");
        log.ToString().Should().Contain($"stopping test (pid {sleeper.Pid})");
    }
}
