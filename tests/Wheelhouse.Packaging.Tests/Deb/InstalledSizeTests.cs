using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Tests.Deb;

public sealed class InstalledSizeTests
{
    [Fact]
    public void Counts_files_in_started_kibibytes_and_one_per_directory_like_dpkg_gencontrol()
    {
        var tree = DebDataTree.Create(
        [
            new DebFile("usr/lib/app/empty", DebFileSource.FromBytes([])),
            new DebFile("usr/lib/app/one", DebFileSource.FromBytes(new byte[1])),
            new DebFile("usr/lib/app/exact", DebFileSource.FromBytes(new byte[1024])),
            new DebFile("usr/lib/app/over", DebFileSource.FromBytes(new byte[1025])),
            new DebSymlink("usr/bin/app", "../lib/app/one"),
        ]);

        // dirs ./, usr, usr/bin, usr/lib, usr/lib/app = 5; files 0 + 1 + 1 + 2 = 4; symlink (14-byte target) = 1.
        InstalledSize.Compute(tree).Should().Be(10);
    }

    [Integration]
    [Fact]
    public async Task Matches_dpkg_gencontrol_on_the_same_tree()
    {
        var directory = Directory.CreateTempSubdirectory("wh-isize-").FullName;
        try
        {
            var package = SamplePackages.Create(SamplePackages.UniqueName());
            var deb = Path.Combine(directory, "p.deb");
            var written = DebWriter.WriteToFile(package, DebCompression.None, deb);
            var root = Path.Combine(directory, "debian", "tmp");
            Directory.CreateDirectory(root);
            await ProcessRunner.RunOkAsync("dpkg-deb", "--extract", deb, root);
            Directory.CreateDirectory(Path.Combine(directory, "debian"));
            File.WriteAllText(Path.Combine(directory, "debian", "control"),
                $"Source: x\nMaintainer: a <a@example.org>\n\nPackage: {package.Control.Package}\nArchitecture: all\nDescription: x\n y\n");
            File.WriteAllText(Path.Combine(directory, "debian", "changelog"),
                $"x (1.0-1) unstable; urgency=medium\n\n  * x\n\n -- a <a@example.org>  Tue, 14 Nov 2023 22:13:20 +0000\n");

            var gencontrol = await ProcessRunner.RunAsync("dpkg-gencontrol", ["-O"], directory);

            gencontrol.ExitCode.Should().Be(0, gencontrol.StandardError);
            gencontrol.StandardOutput.Should().Contain($"Installed-Size: {written.InstalledSizeKiB}\n");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
