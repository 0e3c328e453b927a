using Wheelhouse.Packaging.Dependencies;

namespace Wheelhouse.Packaging.Tests.Dependencies;

public sealed class ElfReaderTests
{
    [Fact]
    public void Reads_needed_entries_interpreter_and_symbol_versions_of_bin_ls()
    {
        var ls = ElfReader.Read("/bin/ls");

        ls.Is64Bit.Should().BeTrue();
        ls.Machine.Should().Be((ushort)(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? ElfMachine.AArch64 : ElfMachine.X86_64));
        ls.Needed.Should().Contain("libc.so.6").And.Contain("libselinux.so.1");
        ls.Interpreter.Should().MatchRegex("^/lib(64)?/ld-linux-(x86-64|aarch64)\\.so\\.[12]$");
        ls.NeededVersions["libc.so.6"].Should().Contain(v => v.StartsWith("GLIBC_2.", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_the_soname_of_a_shared_library()
    {
        var libc = ElfReader.Read(new[] { "/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6" }.First(File.Exists));

        libc.Soname.Should().Be("libc.so.6");
    }

    [Fact]
    public void Reads_the_runtime_libraries_of_the_running_dotnet()
    {
        var coreclr = ElfReader.Read(Path.Combine(RuntimeFiles.CurrentRuntimeDirectory, "libcoreclr.so"));

        coreclr.Needed.Should().Contain(["libc.so.6", "libstdc++.so.6", "libgcc_s.so.1"]);
        coreclr.NeededVersions["libstdc++.so.6"].Should().Contain("GLIBCXX_3.4");
        coreclr.Soname.Should().Be("libcoreclr.so");
    }

    [Fact]
    public void Reads_aarch64_runtime_libraries()
    {
        var directory = RuntimeFiles.Arm64RuntimeNativeDirectory();
        var clrjit = ElfReader.Read(Path.Combine(directory, "libclrjit.so"));

        clrjit.IsMachine(ElfMachine.AArch64).Should().BeTrue();
        clrjit.Needed.Should().Contain("libc.so.6");
        clrjit.NeededVersions["libc.so.6"].Should().Contain("GLIBC_2.17", "2.17 is glibc's aarch64 base version");
    }

    [Fact]
    public void Reads_a_synthetic_big_endian_object()
    {
        var data = ElfBuilder.Build(ElfMachine.AArch64, littleEndian: false, ["libfoo.so.1", "libc.so.6"], "libme.so.2", ("libc.so.6", ["GLIBC_2.17", "GLIBC_2.34"]));

        var elf = ElfReader.Parse("synthetic", data);

        elf.IsMachine(ElfMachine.AArch64).Should().BeTrue();
        elf.Needed.Should().Equal("libfoo.so.1", "libc.so.6");
        elf.Soname.Should().Be("libme.so.2");
        elf.NeededVersions["libc.so.6"].Should().Equal("GLIBC_2.17", "GLIBC_2.34");
    }

    [Fact]
    public void Rejects_files_that_are_not_elf64()
    {
        var notElf = () => ElfReader.Parse("notes.txt", "hello world, this is not an ELF file at all........................"u8.ToArray());
        notElf.Should().Throw<InvalidDataException>().WithMessage("notes.txt: not an ELF file");

        var elf32 = ElfBuilder.Build(ElfMachine.X86_64, littleEndian: true, [], null);
        elf32[4] = 1;
        var parse32 = () => ElfReader.Parse("old.so", elf32);
        parse32.Should().Throw<InvalidDataException>().WithMessage("old.so: ELF class 1 is not supported*");
    }

    [Fact]
    public void Reports_truncated_files_with_their_path()
    {
        var data = ElfBuilder.Build(ElfMachine.X86_64, littleEndian: true, ["libc.so.6"], null);
        var path = Path.Combine(Path.GetTempPath(), $"wh-truncated-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(path, data[..100]);
        try
        {
            var read = () => ElfReader.Read(path);
            read.Should().Throw<InvalidDataException>().WithMessage($"{path}: truncated or corrupt ELF file*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
