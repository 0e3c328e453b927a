using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Tests.Deb;

/// <summary>End to end with the real dpkg-deb and GNU tar (Debian packages dpkg, tar).</summary>
[Integration]
public sealed class DebWriterDpkgTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wh-deb-dpkg-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("xz")]
    [InlineData("zstd")]
    [InlineData("gzip")]
    [InlineData("none")]
    public async Task Dpkg_deb_accepts_the_package_without_warnings(string compressionName)
    {
        var compression = DebCompressions.Parse(compressionName);
        var name = SamplePackages.UniqueName();
        var package = SamplePackages.Create(name);
        var path = Path.Combine(_directory, package.FileName);
        DebWriter.WriteToFile(package, compression, path);
        path.Should().EndWith($"{name}_1.2.3-1_all.deb");

        var info = await ProcessRunner.RunAsync("dpkg-deb", ["--info", path]);
        info.ExitCode.Should().Be(0, info.StandardError);
        info.StandardError.Should().BeEmpty();
        info.StandardOutput.Should().Contain($"Package: {name}").And.Contain("Installed-Size: ").And.Contain("postinst");

        var contents = await ProcessRunner.RunAsync("dpkg-deb", ["--contents", path]);
        contents.ExitCode.Should().Be(0, contents.StandardError);
        contents.StandardError.Should().BeEmpty();
        contents.StandardOutput.Should().Contain($"lrwxrwxrwx root/root         0 2023-11-14 22:13 ./usr/bin/{name} -> ../lib/{name}/tool");
        contents.StandardOutput.Should().Contain($"-rwxr-xr-x root/root        18 2023-11-14 22:13 ./usr/lib/{name}/tool");

        foreach (var part in new[] { "--fsys-tarfile", "--ctrl-tarfile" })
        {
            var listing = await ProcessRunner.ShellAsync($"TZ=UTC dpkg-deb {part} '{path}' | tar -tvf -");
            listing.ExitCode.Should().Be(0, listing.StandardError);
            listing.StandardError.Should().BeEmpty($"tar must not warn about {part}");
        }

        var tarList = await ProcessRunner.ShellAsync($"dpkg-deb --fsys-tarfile '{path}' | tar -tf -");
        tarList.StandardOutput.Should().Contain(SamplePackages.LongName.Replace("file.txt", name + ".txt", StringComparison.Ordinal));

        var control = await ProcessRunner.ShellAsync($"dpkg-deb --ctrl-tarfile '{path}' | tar -tvf -");
        control.StandardOutput.Should().MatchRegex(@"-rwxr-xr-x root/root +\d+ \S+ \S+ \./postinst");
        control.StandardOutput.Should().Contain("./conffiles").And.Contain("./md5sums");
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("gzip")]
    public async Task Contents_match_what_dpkg_deb_builds_from_the_same_tree(string compressionName)
    {
        var compression = DebCompressions.Parse(compressionName);
        var package = SamplePackages.Create(SamplePackages.UniqueName());
        var ours = Path.Combine(_directory, "ours.deb");
        DebWriter.WriteToFile(package, compression, ours);

        var tree = Path.Combine(_directory, "tree");
        await ProcessRunner.RunOkAsync("dpkg-deb", "--raw-extract", ours, tree);
        var theirs = Path.Combine(_directory, "theirs.deb");
        var build = await ProcessRunner.ShellAsync(
            $"SOURCE_DATE_EPOCH={SamplePackages.Timestamp.ToUnixTimeSeconds()} dpkg-deb --build --root-owner-group -Z{compressionName} '{tree}' '{theirs}'");
        build.ExitCode.Should().Be(0, build.StandardError);

        var ourContents = await ProcessRunner.RunOkAsync("dpkg-deb", "--contents", ours);
        var theirContents = await ProcessRunner.RunOkAsync("dpkg-deb", "--contents", theirs);
        ourContents.Should().Be(theirContents);

        var ourInfo = await ProcessRunner.RunOkAsync("dpkg-deb", "--info", ours);
        var theirInfo = await ProcessRunner.RunOkAsync("dpkg-deb", "--info", theirs);
        Listing(ourInfo).Should().Equal(Listing(theirInfo));

        // dpkg-deb checks conffiles and md5sums against the tree it builds from; it found both consistent above.
        var md5 = await ProcessRunner.ShellAsync($"cd '{tree}' && md5sum --quiet -c DEBIAN/md5sums");
        md5.ExitCode.Should().Be(0, md5.StandardOutput + md5.StandardError);
    }

    private static string[] Listing(string info) =>
        info.Split('\n').Where(l => l.TrimStart().Length > 0 && char.IsDigit(l.TrimStart()[0])).Select(l => l.Trim()).ToArray();
}
