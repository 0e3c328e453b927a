using System.Globalization;

namespace Wheelhouse.Packaging.Dependencies;

/// <summary>
/// The static knowledge dependency detection uses, for what a .NET self-contained publish output (and SQLite's
/// native library) links against. Debian package names are those of bookworm and later; where a library was
/// renamed by the 64-bit time_t transition (trixie, Ubuntu 24.04) both names are alternatives.
/// Versions come from the symbol versions the files need (DT_VERNEED), like dpkg-shlibdeps derives them from
/// symbols files: GLIBC_x.y needs libc6 (>= x.y); GCC_x.y needs libgcc-s1 (>= x.y); GLIBCXX_3.4.n/CXXABI_1.3.n
/// map to the GCC release that introduced them (libstdc++ manual, "ABI Policy and Guidelines").
/// </summary>
public static class SharedLibraryTable
{
    /// <summary>Sonames of glibc (libc6 ships all of them, on amd64 and arm64).</summary>
    public static readonly IReadOnlySet<string> Glibc = new HashSet<string>(StringComparer.Ordinal)
    {
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2", "libutil.so.1",
        "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
    };

    /// <summary>
    /// NEEDED entries that deliberately add no dependency. liblttng-ust.so.0 is needed only by
    /// libcoreclrtraceptprovider.so, which coreclr loads optionally for LTTng tracing and skips when it fails to load.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Optional = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["liblttng-ust.so.0"] = "only libcoreclrtraceptprovider.so needs it, and coreclr loads that library optionally (LTTng tracing)",
    };

    /// <summary>Other sonames a published file may need, and the packages that provide them.</summary>
    public static readonly IReadOnlyDictionary<string, DependencyGroup> Libraries = new Dictionary<string, DependencyGroup>(StringComparer.Ordinal)
    {
        ["libstdc++.so.6"] = DependencyGroup.Of("libstdc++6"),
        ["libgcc_s.so.1"] = DependencyGroup.Of("libgcc-s1"),
        ["libz.so.1"] = DependencyGroup.Of("zlib1g"),
        ["libssl.so.3"] = DependencyGroup.Of("libssl3t64", "libssl3"),
        ["libcrypto.so.3"] = DependencyGroup.Of("libssl3t64", "libssl3"),
        ["libgssapi_krb5.so.2"] = DependencyGroup.Of("libgssapi-krb5-2"),
        ["libsqlite3.so.0"] = DependencyGroup.Of("libsqlite3-0"),
    };

    /// <summary>
    /// Libraries the .NET runtime opens with dlopen (so they are in no NEEDED list), keyed by the published native
    /// shim that opens them. OpenSSL: System.Security.Cryptography.Native.OpenSsl probes libssl.so.3 then 1.1.
    /// Certificates and time zones are read from /etc/ssl/certs and /usr/share/zoneinfo by the runtime itself.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<DependencyGroup>> RuntimeLoaded =
        new Dictionary<string, IReadOnlyList<DependencyGroup>>(StringComparer.Ordinal)
        {
            ["libSystem.Security.Cryptography.Native.OpenSsl.so"] =
            [
                DependencyGroup.Of("libssl3t64", "libssl3", "libssl1.1"),
                DependencyGroup.Of("ca-certificates"),
            ],
            ["libSystem.Native.so"] = [DependencyGroup.Of("tzdata")],
        };

    /// <summary>The shim that dlopens ICU (libicuuc.so.NN, any version from 50 on).</summary>
    public const string GlobalizationShim = "libSystem.Globalization.Native.so";

    /// <summary>
    /// ICU packages, oldest first: the Debian and Ubuntu releases' libicuNN and the next few to come, since the
    /// runtime accepts any ICU version and the package name changes with every ICU release.
    /// </summary>
    public static readonly DependencyGroup Icu = DependencyGroup.Of(
        [.. new[] { 63, 66, 67, 70, 71, 72, 74, 76, 77, 78, 79, 80 }.Select(v => "libicu" + v.ToString(CultureInfo.InvariantCulture))]);

    /// <summary>GLIBCXX_3.4.n → GCC release that introduced it.</summary>
    public static readonly IReadOnlyDictionary<int, string> GlibcxxToGcc = new Dictionary<int, string>
    {
        [0] = "3.4",
        [1] = "3.4",
        [2] = "3.4",
        [3] = "3.4",
        [4] = "3.4",
        [5] = "4.0",
        [6] = "4.0",
        [7] = "4.0",
        [8] = "4.1",
        [9] = "4.2",
        [10] = "4.3",
        [11] = "4.4",
        [12] = "4.4",
        [13] = "4.4",
        [14] = "4.5",
        [15] = "4.6",
        [16] = "4.7",
        [17] = "4.7",
        [18] = "4.8",
        [19] = "4.8",
        [20] = "4.9",
        [21] = "5",
        [22] = "6",
        [23] = "7",
        [24] = "8",
        [25] = "8",
        [26] = "9",
        [27] = "9",
        [28] = "10",
        [29] = "11",
        [30] = "12",
        [31] = "13",
        [32] = "13",
        [33] = "14",
        [34] = "15",
    };

    /// <summary>CXXABI_1.3.n → GCC release that introduced it.</summary>
    public static readonly IReadOnlyDictionary<int, string> CxxabiToGcc = new Dictionary<int, string>
    {
        [0] = "3.4",
        [1] = "4.0",
        [2] = "4.2",
        [3] = "4.4",
        [4] = "4.5",
        [5] = "4.6",
        [6] = "4.7",
        [7] = "4.8",
        [8] = "4.9",
        [9] = "5",
        [10] = "6",
        [11] = "7",
        [12] = "9",
        [13] = "11",
        [14] = "12",
        [15] = "13",
        [16] = "14",
    };

    /// <summary>Debian architecture → ELF machine.</summary>
    public static readonly IReadOnlyDictionary<string, ElfMachine> Architectures = new Dictionary<string, ElfMachine>(StringComparer.Ordinal)
    {
        ["amd64"] = ElfMachine.X86_64,
        ["arm64"] = ElfMachine.AArch64,
    };
}
