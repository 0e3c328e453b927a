using Wheelhouse.Packaging.Dependencies;

namespace Wheelhouse.Packaging.Tests.Dependencies;

public sealed class DependencyResolverTests
{
    private static readonly string[] NativeShims =
    [
        "libSystem.Native.so", "libSystem.Globalization.Native.so", "libSystem.Security.Cryptography.Native.OpenSsl.so",
        "libSystem.IO.Compression.Native.so", "libSystem.Net.Security.Native.so", "libclrjit.so", "libcoreclr.so",
    ];

    [Fact]
    public void Runtime_files_give_glibc_gcc_openssl_certificates_and_tzdata_but_no_icu_when_invariant()
    {
        var files = RuntimeElfFiles(RuntimeFiles.CurrentRuntimeDirectory);

        var depends = DependencyResolver.Resolve(files, new DependencyOptions(HostArchitecture, InvariantGlobalization: true, ["adduser"])).ToString();

        depends.Should().MatchRegex(@"^adduser, ca-certificates, libc6 \(>= 2\.\d+\), libgcc-s1 \(>= 3\.0\), libssl3t64 \| libssl3 \| libssl1\.1, libstdc\+\+6 \(>= \d+(\.\d+)?\), tzdata$");
        depends.Should().NotContain("libicu");
    }

    [Fact]
    public void Icu_alternatives_are_added_without_invariant_globalization()
    {
        var files = RuntimeElfFiles(RuntimeFiles.CurrentRuntimeDirectory);

        var depends = DependencyResolver.Resolve(files, new DependencyOptions(HostArchitecture, InvariantGlobalization: false)).ToString();

        depends.Should().Contain("libicu67 | libicu70 | libicu71 | libicu72 | libicu74 | libicu76 | libicu77");
    }

    [Fact]
    public void Arm64_runtime_files_resolve_for_arm64_and_are_rejected_for_amd64()
    {
        var files = RuntimeElfFiles(RuntimeFiles.Arm64RuntimeNativeDirectory());

        var depends = DependencyResolver.Resolve(files, new DependencyOptions("arm64", InvariantGlobalization: true)).ToString();
        depends.Should().StartWith("ca-certificates, libc6 (>= 2.");

        var wrongArch = () => DependencyResolver.Resolve(files, new DependencyOptions("amd64", InvariantGlobalization: true));
        wrongArch.Should().Throw<InvalidOperationException>().WithMessage("*libcoreclr.so is built for ELF machine 183, not X86_64 (amd64)*");
    }

    [Fact]
    public void The_highest_glibc_symbol_version_sets_the_minimum()
    {
        var a = Synthetic("a.so", ["libc.so.6"], ("libc.so.6", ["GLIBC_2.17", "GLIBC_2.28"]));
        var b = Synthetic("b.so", ["libc.so.6", "libm.so.6"], ("libc.so.6", ["GLIBC_2.34"]), ("libm.so.6", ["GLIBC_2.29"]));

        DependencyResolver.Resolve([a, b], new DependencyOptions("arm64", true)).ToString().Should().Be("libc6 (>= 2.34)");
    }

    [Fact]
    public void Libraries_shipped_in_the_tree_need_nothing()
    {
        var dbi = Synthetic("libmscordbi.so", ["libmscordaccore.so", "libc.so.6"]);
        var dac = Synthetic("libmscordaccore.so", ["libc.so.6"]);

        DependencyResolver.Resolve([dbi, dac], new DependencyOptions("arm64", true)).ToString().Should().Be("libc6 (>= 2.17)");
    }

    [Fact]
    public void Unknown_sonames_are_an_error_naming_file_and_soname()
    {
        var odd = Synthetic("/opt/app/libodd.so", ["libunheard-of.so.7"]);
        var other = Synthetic("/opt/app/libother.so", ["libmystery.so.1"]);

        var resolve = () => DependencyResolver.Resolve([odd, other], new DependencyOptions("arm64", true));

        resolve.Should().Throw<InvalidOperationException>()
            .WithMessage("*/opt/app/libodd.so needs libunheard-of.so.7, which no Debian package is known for*")
            .WithMessage("*/opt/app/libother.so needs libmystery.so.1*");
    }

    [Fact]
    public void Unknown_libstdcxx_symbol_versions_are_an_error()
    {
        var future = Synthetic("libfuture.so", ["libstdc++.so.6"], ("libstdc++.so.6", ["GLIBCXX_3.4.99"]));

        var resolve = () => DependencyResolver.Resolve([future], new DependencyOptions("arm64", true));

        resolve.Should().Throw<InvalidOperationException>().WithMessage("*libfuture.so needs libstdc++ symbol version GLIBCXX_3.4.99*");
    }

    [Fact]
    public void Extra_relations_are_merged_sorted_and_deduplicated_keeping_the_higher_minimum()
    {
        var app = Synthetic("app", ["libc.so.6"], ("libc.so.6", ["GLIBC_2.28"]));

        var depends = DependencyResolver.Resolve(
            [app],
            new DependencyOptions("arm64", true, ["zz-last", "adduser", "libc6 (>= 2.31)", "adduser", "bar | baz (>= 1.0)"])).ToString();

        depends.Should().Be("adduser, bar | baz (>= 1.0), libc6 (>= 2.31), zz-last");
    }

    [Fact]
    public void Bad_extra_relations_and_architectures_are_reported()
    {
        var badExtra = () => DependencyResolver.Resolve([], new DependencyOptions("arm64", true, ["Not A Package"]));
        badExtra.Should().Throw<InvalidOperationException>().WithMessage("*'Not A Package' is not a package relation*");

        var badArch = () => DependencyResolver.Resolve([], new DependencyOptions("sparc", true));
        badArch.Should().Throw<ArgumentException>().WithMessage("*architecture 'sparc'*amd64, arm64*");
    }

    [Fact]
    public void A_published_directory_is_scanned_for_elf_files_only()
    {
        var directory = Directory.CreateTempSubdirectory("wh-deps-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(directory, "libx.so"), ElfBuilder.Build(ElfMachine.AArch64, true, ["libz.so.1"], null));
            File.WriteAllText(Path.Combine(directory, "app.dll"), "managed code, not ELF");
            Directory.CreateDirectory(Path.Combine(directory, "sub"));
            File.WriteAllBytes(Path.Combine(directory, "sub", "liby.so"), ElfBuilder.Build(ElfMachine.AArch64, true, ["libssl.so.3"], null));

            DependencyResolver.ResolveDirectory(directory, new DependencyOptions("arm64", true)).ToString()
                .Should().Be("libssl3t64 | libssl3, zlib1g");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string HostArchitecture =>
        System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64";

    private static List<ElfFile> RuntimeElfFiles(string directory) =>
        NativeShims.Select(name => ElfReader.Read(Path.Combine(directory, name))).ToList();

    private static ElfFile Synthetic(string path, string[] needed, params (string, string[])[] versions) =>
        ElfReader.Parse(path, ElfBuilder.Build(ElfMachine.AArch64, true, needed, null, versions));
}
