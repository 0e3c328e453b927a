using System.Runtime.InteropServices;

namespace Wheelhouse.Build.InstallProof;

/// <summary>The version facts of a proof run: the build under test and the newer one it upgrades to.</summary>
public static class ProofVersions
{
    /// <summary>
    /// A version dpkg sorts right after <paramref name="version"/> and before any later release: '+' after the
    /// revision sorts after the end of the string (1.2.3-1 &lt; 1.2.3-1+proof1 &lt; 1.2.3-2).
    /// </summary>
    public static string UpgradeOf(string version) => version + "+proof1";

    /// <summary>The Debian architecture of this machine, the only one its container can run.</summary>
    public static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => throw new InstallProofException($"verify-install runs on amd64 or arm64 machines, not {other}"),
    };
}
