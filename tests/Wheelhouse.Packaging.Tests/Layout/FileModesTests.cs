using Wheelhouse.Packaging.Layout;
using Wheelhouse.Packaging.Tests.Manifests;

namespace Wheelhouse.Packaging.Tests.Layout;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FileModesTests : IDisposable
{
    private readonly TempDirectory _dir = new("wh-modes");

    /// <summary>A real shared object: the running .NET runtime's own libSystem.Native.so.</summary>
    public static string RuntimeLibrary => Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Elf_programs_and_scripts_are_programs_shared_objects_and_data_are_not()
    {
        var program = _dir.Combine("true");
        File.Copy("/usr/bin/true", program);
        var script = _dir.Write("run.sh", "#!/bin/sh\necho hi\n");
        var data = _dir.Write("data.dll", "MZ not elf");
        var library = _dir.Combine("libc.so");
        File.Copy(RuntimeLibrary, library);

        FileModes.IsProgram(program).Should().BeTrue();
        FileModes.IsProgram(script).Should().BeTrue();
        FileModes.IsProgram(data).Should().BeFalse();
        FileModes.IsProgram(library).Should().BeFalse();
    }

    [Fact]
    public void A_program_without_any_execute_bit_stays_0644()
    {
        var program = _dir.Combine("true");
        File.Copy("/usr/bin/true", program);
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        FileModes.For(program).Should().Be(0b110_100_100);
    }
}
