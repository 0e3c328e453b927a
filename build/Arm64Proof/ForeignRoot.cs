using Wheelhouse.Build.InstallProof;

namespace Wheelhouse.Build.Arm64Proof;

/// <summary>
/// An arm64 root for qemu-user (<c>QEMU_LD_PREFIX</c>): the shared libraries a self-contained .NET server needs
/// (libc6, libgcc-s1, libstdc++6, libssl3, zlib1g; ICU is not, the server is culture-invariant), fetched from this
/// machine's own Debian sources with a private apt configuration and state, so the host's dpkg architectures and apt
/// state are never touched, and unpacked with dpkg-deb beside the package under test.
/// </summary>
public sealed class ForeignRoot(Shell shell, string cacheDirectory)
{
    public const string Architecture = "arm64";

    public static readonly IReadOnlyList<string> Libraries = ["libc6", "libgcc-s1", "libstdc++6", "libssl3", "zlib1g"];

    /// <summary>Fetches the libraries (apt lists kept in the cache between runs) and unpacks them and <paramref name="debs"/> into <paramref name="root"/>.</summary>
    public async Task BuildAsync(string root, IReadOnlyList<string> debs)
    {
        var apt = Path.Combine(cacheDirectory, $"apt-{Architecture}");
        var config = WriteAptConfiguration(apt);
        var env = $"APT_CONFIG={config}";
        await shell.CheckAsync($"apt-get update of the {Architecture} package lists", ["env", env, "apt-get", "update", "-q"]);
        var downloads = Path.Combine(apt, "downloads");
        if (Directory.Exists(downloads))
        {
            Directory.Delete(downloads, recursive: true);
        }

        Directory.CreateDirectory(downloads);
        // apt-get download writes into the working directory.
        await shell.CheckAsync($"apt-get download of the {Architecture} libraries",
            ["sh", "-c", $"cd \"{downloads}\" && exec env {env} apt-get download -q {string.Join(' ', Libraries)}"]);
        Directory.CreateDirectory(root);
        foreach (var deb in Directory.GetFiles(downloads, "*.deb").Order(StringComparer.Ordinal).Concat(debs))
        {
            await shell.CheckAsync($"unpacking {Path.GetFileName(deb)}", ["dpkg-deb", "--extract", deb, root]);
        }
    }

    /// <summary>An apt configuration whose sources are the host's, but whose architecture, lists, cache and status are its own.</summary>
    private static string WriteAptConfiguration(string apt)
    {
        var sources = Path.Combine(apt, "sources.list.d");
        var preferences = Path.Combine(apt, "preferences.d");
        var state = Path.Combine(apt, "state");
        foreach (var dir in new[] { sources, preferences, Path.Combine(state, "lists", "partial"), Path.Combine(apt, "cache", "archives", "partial") })
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(Path.Combine(state, "status"), "");
        foreach (var file in Directory.GetFiles(sources))
        {
            File.Delete(file);
        }

        if (File.Exists("/etc/apt/sources.list"))
        {
            File.Copy("/etc/apt/sources.list", Path.Combine(sources, "host.list"));
        }

        foreach (var file in Directory.GetFiles("/etc/apt/sources.list.d").Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(sources, Path.GetFileName(file)));
        }

        var config = Path.Combine(apt, "apt.conf");
        File.WriteAllText(config, $"""
            APT::Architecture "{Architecture}";
            APT::Architectures {"{"} "{Architecture}"; {"}"};
            APT::Sandbox::User "root";
            Acquire::Languages "none";
            Dir::Etc::SourceList "/dev/null";
            Dir::Etc::SourceParts "{sources}";
            Dir::Etc::Preferences "/dev/null";
            Dir::Etc::PreferencesParts "{preferences}";
            Dir::State "{state}";
            Dir::State::status "{Path.Combine(state, "status")}";
            Dir::Cache "{Path.Combine(apt, "cache")}";

            """);
        return config;
    }
}
