using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// The Debian tree the container boots: a minbase <see cref="Suite"/> with systemd as init plus every package the
/// proof installs or uses, so that inside the (network-less) container apt needs nothing but our repository.
/// </summary>
public sealed record BaseImage
{
    public const string DefaultMirror = "http://deb.debian.org/debian";

    /// <summary>
    /// What boots and what the steps use: init, apt's https-free transport, nginx, the Python clients, ps, openssl (the
    /// proof's certificates), PostgreSQL for the server on it, and Debian's puppet and ansible-core (with python3-apt, which its apt module needs and
    /// would otherwise fetch from Debian's mirror), which deploy the packages once more.
    /// </summary>
    public static readonly IReadOnlyList<string> ToolPackages =
        ["systemd-sysv", "dbus", "curl", "ca-certificates", "procps", "nginx", "twine", "python3-pip", "python3-venv",
         "openssl", "puppet", "ansible-core", "python3-apt",
         // the directory log-in step's own slapd
         "slapd", "ldap-utils",
         // the PostgreSQL step's database (Debian's cluster, started by systemd)
         "postgresql"];

    public BaseImage(string suite, string mirror, IEnumerable<string> packages)
    {
        Suite = suite;
        Mirror = mirror;
        Packages = packages.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public string Suite { get; }
    public string Mirror { get; }

    /// <summary>Sorted and unique, so the same set always gives the same <see cref="CacheKey"/>.</summary>
    public IReadOnlyList<string> Packages { get; }

    /// <summary>The tools plus what our packages depend on (taken from their Depends, see <see cref="DependencyIncludes"/>).</summary>
    public static BaseImage For(string suite, IEnumerable<string> packageDependencies, string mirror = DefaultMirror) =>
        new(suite, mirror, [.. ToolPackages, .. packageDependencies]);

    /// <summary>Names the cached tarball: changes whenever the suite, the mirror or the package list does.</summary>
    public string CacheKey
    {
        get
        {
            var canonical = $"mmdebstrap minbase\nsuite={Suite}\nmirror={Mirror}\npackages={string.Join(',', Packages)}\n";
            return $"{Suite}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16]}";
        }
    }

    /// <summary>Plain names go in one --include; each apt pattern needs its own, since mmdebstrap would split it at commas.</summary>
    public IReadOnlyList<string> MmdebstrapCommand(string tarball) =>
        ["mmdebstrap", "--variant=minbase", "--mode=root",
         $"--include={string.Join(',', Packages.Where(p => !p.StartsWith('?')))}",
         .. Packages.Where(p => p.StartsWith('?')).Select(pattern => $"--include={pattern}"),
         Suite, tarball, Mirror];

    /// <summary>
    /// What to preinstall for a Depends field, without version constraints or architecture qualifiers and without
    /// <paramref name="exclude"/> (our own packages). A relation with alternatives ("libssl3t64 | libssl3 |
    /// libssl1.1", "debconf (>= 0.5) | debconf-2.0") becomes an apt pattern matching whichever real package of them the
    /// suite has: the build lists names for
    /// several Debian releases, and any one suite knows only some of them.
    /// </summary>
    public static IEnumerable<string> DependencyIncludes(string depends, IReadOnlyCollection<string> exclude)
    {
        foreach (var relation in depends.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var names = relation.Split('|').Select(a => a.Trim().Split([' ', '(', ':'], 2)[0].Trim())
                .Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (names.Count == 0 || names.Any(exclude.Contains))
            {
                continue;
            }
            // ?not(?virtual): an alternative such as debconf-2.0 names no real package, and apt refuses to install it.
            yield return names.Count == 1 ? names[0] : $"?and(?or({string.Join(',', names.Select(n => $"?exact-name({n})"))}),?not(?virtual))";
        }
    }
}
