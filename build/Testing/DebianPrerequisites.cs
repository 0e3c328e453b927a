using System.Diagnostics;

namespace Wheelhouse.Build.Testing;

/// <summary>The Debian packages the test suites drive for real, in one list, and how to install the missing ones.</summary>
public static class DebianPrerequisites
{
    public static readonly IReadOnlyList<string> Packages =
    [
        // packaging: inspect, lint, sign and serve what we build
        "dpkg-dev", "lintian", "gnupg", "xz-utils", "zstd", "apt", "systemd",
        // packaging: the reproducibility test builds a second time under a shifted clock, with a company CA made by openssl
        "faketime", "openssl",
        // server: the real Python clients
        "twine", "python3-pip", "python3-venv", "python3-build", "python3-setuptools", "python3-wheel", "python3-packaging",
        // server: the real wheels the tests upload and mirror (/usr/share/python-wheels)
        "python3-pip-whl", "python3-setuptools-whl",
        // server: directory log-in against a real OpenLDAP (tests start their own slapd), TLS material from openssl,
        // and the libldap System.DirectoryServices.Protocols calls
        "slapd", "ldap-utils", "openssl", "libldap-2.5-0",
        // web interface: a real browser driven through WebDriver
        "chromium", "chromium-driver",
        // several nodes: a throw-away PostgreSQL cluster, nginx in front of the nodes, Prometheus scraping one
        "postgresql", "nginx", "prometheus",
        // install proof: a booted Debian container, and piuparts
        "mmdebstrap", "systemd-container", "piuparts", "git",
        // arm64 proof: the arm64 package's server run through user-mode emulation
        "qemu-user-static",
    ];

    public static IReadOnlyList<string> Missing() => Packages.Where(p => !IsInstalled(p)).ToList();

    public static void Install(IReadOnlyList<string> packages)
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException(
                $"missing Debian packages: {string.Join(' ', packages)}. Install them with: sudo apt-get install {string.Join(' ', packages)}");
        }

        Run("apt-get", ["-o", "DPkg::Lock::Timeout=600", "update", "-q"]);
        Run("apt-get", ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "--no-install-recommends", .. packages]);
    }

    private static bool IsInstalled(string package)
    {
        var (code, output) = Run("dpkg-query", ["-W", "-f=${Status}", package], check: false);
        return code == 0 && output.Contains("install ok installed", StringComparison.Ordinal);
    }

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, bool check = true)
    {
        // Only the query is captured; apt's progress goes straight to the console.
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = !check };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = check ? "" : process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed with exit code {process.ExitCode}");
        }

        return (process.ExitCode, output);
    }
}
