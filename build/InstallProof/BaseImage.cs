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

    /// <summary>What boots and what the steps use: init, apt's https-free transport, nginx, the Python clients, ps.</summary>
    public static readonly IReadOnlyList<string> ToolPackages =
        ["systemd-sysv", "dbus", "curl", "ca-certificates", "procps", "nginx", "twine", "python3-pip", "python3-venv"];

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

    /// <summary>The tools plus what our packages depend on (taken from their Depends, see <see cref="DependencyNames"/>).</summary>
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

    public IReadOnlyList<string> MmdebstrapCommand(string tarball) =>
        ["mmdebstrap", "--variant=minbase", "--mode=root", $"--include={string.Join(',', Packages)}", Suite, tarball, Mirror];

    /// <summary>
    /// The packages a Depends field names, for preinstalling: the first alternative of each relation, without
    /// version constraints or architecture qualifiers; <paramref name="exclude"/> (our own packages) left out.
    /// </summary>
    public static IEnumerable<string> DependencyNames(string depends, IReadOnlyCollection<string> exclude) =>
        depends.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(relation => relation.Split('|')[0].Trim())
            .Select(first => first.Split([' ', '(', ':'], 2)[0].Trim())
            .Where(name => name.Length > 0 && !exclude.Contains(name));
}
