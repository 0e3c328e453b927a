namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>The container runs systemd as PID 1 and commands reach it; without this nothing else means anything.</summary>
public sealed class ContainerBootsWithSystemd : IProofStep
{
    public string Claim => "the container boots systemd and answers commands";

    public async Task RunAsync(ProofContext context)
    {
        context.Checking("PID 1 inside is systemd");
        var init = await context.MustAsync("cannot read PID 1's name", "cat", "/proc/1/comm");
        context.Expect(init.StandardOutput.Trim() == "systemd", $"PID 1 in the container is '{init.StandardOutput.Trim()}', not systemd");
        context.Checking("the system state is running (or degraded)");
        var state = (await context.Container.ExecAsync(["systemctl", "is-system-running"])).StandardOutput.Trim();
        context.Expect(state is "running" or "degraded", $"systemctl is-system-running says '{state}'");
        context.Checking("the network is the container's own: only a loopback interface");
        var links = await context.MustAsync("cannot list network interfaces", "ls", "/sys/class/net");
        context.Expect(links.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is ["lo"],
            $"the container sees interfaces {links.StandardOutput.Trim().Replace('\n', ' ')}; expected only lo (--private-network)");
    }
}
