namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// The command lines that boot a container and reach into it. <c>machinectl</c> and <c>systemctl -M</c> need a
/// registered machine and a host systemd, neither of which CI machines have; nsenter into the init's namespaces
/// needs only the PID.
/// </summary>
public static class ContainerCommand
{
    /// <summary>The environment commands inside see: the container's own, not the host's (no host PATH, no DOTNET_*).</summary>
    public static readonly IReadOnlyList<string> Environment =
    [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME=/root",
        "LANG=C.UTF-8",
        "DEBIAN_FRONTEND=noninteractive",
        "PIP_DISABLE_PIP_VERSION_CHECK=1",
        "PIP_NO_INPUT=1",
    ];

    /// <summary>
    /// Boots <paramref name="root"/> with systemd as PID 1. A private network: the container has a loopback of its
    /// own, so nginx on port 80 and the server on its port never meet the host's or another run's.
    /// </summary>
    public static IReadOnlyList<string> Boot(string root, string machineName) =>
        ["systemd-nspawn", "--quiet", "--boot", $"--directory={root}", "--register=no", "--keep-unit",
         "--console=pipe", "--private-network", $"--machine={machineName}"];

    /// <summary>Runs <paramref name="command"/> in every namespace of the container whose init is <paramref name="initPid"/>.</summary>
    public static IReadOnlyList<string> Exec(int initPid, IEnumerable<string> command) =>
        ["nsenter", "--target", initPid.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--mount", "--uts", "--ipc", "--net", "--pid", "--", "/usr/bin/env", "-i", .. Environment, .. command];

    /// <summary>
    /// Runs a host program in the container's network namespace only: it sees the container's loopback but the
    /// host's files (how the host serves the apt repository to the container).
    /// </summary>
    public static IReadOnlyList<string> InNetworkOf(int initPid, IEnumerable<string> command) =>
        ["nsenter", "--target", initPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--net", "--", .. command];

    /// <summary>A machine name no other run on this host uses at the same time.</summary>
    public static string UniqueMachineName() => $"wh-verify-{Guid.NewGuid():N}"[..20];
}
