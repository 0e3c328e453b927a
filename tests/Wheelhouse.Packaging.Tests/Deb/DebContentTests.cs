using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Tests.Deb;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DebContentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wh-content-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Modes_on_disk_are_normalised_so_the_umask_does_not_matter()
    {
        var tool = Path.Combine(_directory, "tool");
        var secret = Path.Combine(_directory, "sub", "secret.json");
        Directory.CreateDirectory(Path.GetDirectoryName(secret)!);
        File.WriteAllText(tool, "#!/bin/sh\n");
        File.WriteAllText(secret, "{}");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        File.SetUnixFileMode(Path.Combine(_directory, "sub"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupWrite);
        File.CreateSymbolicLink(Path.Combine(_directory, "link"), "tool");

        var entries = DebContent.FromDirectory(_directory, "/usr/lib/app/");

        entries.Should().ContainEquivalentOf(new DebDirectory("usr/lib/app"));
        entries.Should().ContainEquivalentOf(new DebDirectory("usr/lib/app/sub"));
        entries.OfType<DebFile>().Single(f => f.Path == "usr/lib/app/tool").Mode.Should().Be(DebModes.Executable);
        entries.OfType<DebFile>().Single(f => f.Path == "usr/lib/app/sub/secret.json").Mode.Should().Be(DebModes.Regular);
        entries.OfType<DebSymlink>().Single().Should().Be(new DebSymlink("usr/lib/app/link", "tool"));
        entries.OfType<DebFile>().Single(f => f.Path == "usr/lib/app/sub/secret.json").Source.Length.Should().Be(2);
    }

    [Fact]
    public void A_missing_directory_is_a_clear_error()
    {
        var read = () => DebContent.FromDirectory(Path.Combine(_directory, "nope"), "usr/lib/app");

        read.Should().Throw<DirectoryNotFoundException>().WithMessage("*nope does not exist");
    }
}
