using Wheelhouse.Build.InstallProof;

namespace Wheelhouse.Build.Tests.InstallProof;

public sealed class ContainerCommandTests
{
    [Fact]
    public void Boot_uses_a_private_network_and_no_machine_registration()
    {
        var boot = ContainerCommand.Boot("/tmp/root", "wh-verify-1");
        boot[0].Should().Be("systemd-nspawn");
        boot.Should().Contain(["--boot", "--directory=/tmp/root", "--register=no", "--keep-unit", "--console=pipe", "--private-network", "--machine=wh-verify-1"]);
    }

    [Fact]
    public void Exec_enters_every_namespace_of_the_init_with_a_clean_environment()
    {
        var exec = ContainerCommand.Exec(4242, ["apt-get", "update"]);
        exec.Take(3).Should().Equal("nsenter", "--target", "4242");
        exec.Should().Contain(["--mount", "--uts", "--ipc", "--net", "--pid"]);
        var separator = exec.ToList().IndexOf("--");
        exec.Skip(separator + 1).Take(2).Should().Equal("/usr/bin/env", "-i");
        exec.Should().Contain("DEBIAN_FRONTEND=noninteractive");
        exec.Should().NotContain(a => a.StartsWith("DOTNET_", StringComparison.Ordinal));
        exec.TakeLast(2).Should().Equal("apt-get", "update");
    }

    [Fact]
    public void In_network_of_enters_only_the_network_namespace()
    {
        ContainerCommand.InNetworkOf(7, ["python3"]).Should().Equal("nsenter", "--target", "7", "--net", "--", "python3");
    }

    [Fact]
    public void Machine_names_are_unique_and_short_enough_for_a_hostname()
    {
        var names = Enumerable.Range(0, 50).Select(_ => ContainerCommand.UniqueMachineName()).ToList();
        names.Should().OnlyHaveUniqueItems();
        names.Should().AllSatisfy(n => n.Should().MatchRegex("^wh-verify-[0-9a-f]+$").And.HaveLength(20));
    }
}
