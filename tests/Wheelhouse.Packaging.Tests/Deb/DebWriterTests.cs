using System.Security.Cryptography;
using System.Text;
using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Tests.Deb;

public sealed class DebWriterTests
{
    [Theory]
    [InlineData(DebCompression.Xz, "control.tar.xz", "data.tar.xz")]
    [InlineData(DebCompression.Zstd, "control.tar.zst", "data.tar.zst")]
    [InlineData(DebCompression.Gzip, "control.tar.gz", "data.tar.gz")]
    [InlineData(DebCompression.None, "control.tar", "data.tar")]
    public void The_ar_archive_holds_the_three_members_with_fixed_headers(DebCompression compression, string control, string data)
    {
        var deb = DebArchive.Read(SamplePackages.Write(SamplePackages.Create("wh-testpkg-ar"), compression));

        deb.Members.Select(m => m.Name).Should().Equal("debian-binary", control, data);
        deb.Members.Should().AllSatisfy(m =>
        {
            m.Mtime.Should().Be(SamplePackages.Timestamp.ToUnixTimeSeconds());
            m.Uid.Should().Be("0     ");
            m.Gid.Should().Be("0     ");
            m.Mode.Should().Be("100644  ");
        });
        Encoding.ASCII.GetString(deb.Member("debian-binary").Content).Should().Be("2.0\n");
    }

    [Fact]
    public void Data_tar_entries_are_dot_prefixed_root_owned_normalised_and_stamped()
    {
        var package = SamplePackages.Create("wh-testpkg-data");
        var items = DebArchive.Read(SamplePackages.Write(package, DebCompression.Xz)).Tar("data.tar");

        items[0].Name.Should().Be("./");
        items.Should().AllSatisfy(i =>
        {
            i.Name.Should().StartWith("./");
            i.Uid.Should().Be(0);
            i.Gid.Should().Be(0);
            i.Mtime.Should().Be(SamplePackages.Timestamp.UtcDateTime);
        });
        items.Single(i => i.Name == "./usr/lib/wh-testpkg-data/tool").Mode.Should().Be(DebModes.Executable);
        items.Single(i => i.Name == "./usr/lib/wh-testpkg-data/data.bin").Mode.Should().Be(DebModes.Regular);
        items.Single(i => i.Name == "./var/lib/wh-testpkg-data/").IsDirectory.Should().BeTrue();
        items.Single(i => i.Name == "./usr/bin/wh-testpkg-data").LinkTarget.Should().Be("../lib/wh-testpkg-data/tool");
        items[^1].Name.Should().Be("./usr/bin/wh-testpkg-data", "symlinks come last");
        items.Single(i => i.Name == "./usr/lib/wh-testpkg-data/data.bin").Content.Should().Equal(Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)));

        var raw = TarItem.RawHeaders(DebArchive.Read(SamplePackages.Write(package, DebCompression.None)).RawTar("data.tar"));
        raw.Where(h => h[156] == (byte)'5').Should().AllSatisfy(h =>
            Encoding.ASCII.GetString(h, 100, 8).Should().Be("0000755\0", "SharpCompress reports directories with an extra 01000 bit, so the raw field is checked"));
        raw.Where(h => h[156] != (byte)'L').Should().AllSatisfy(h =>
        {
            Encoding.ASCII.GetString(h, 265, 4).Should().Be("root");
            Encoding.ASCII.GetString(h, 297, 4).Should().Be("root");
        });
    }

    [Fact]
    public void Control_tar_has_control_md5sums_conffiles_and_executable_scripts()
    {
        var package = SamplePackages.Create("wh-testpkg-ctl", new Dictionary<string, byte[]>
        {
            ["postinst"] = "#!/bin/sh\nexit 0\n"u8.ToArray(),
            ["triggers"] = "interest-noawait /usr/lib/x\n"u8.ToArray(),
        });
        var items = DebArchive.Read(SamplePackages.Write(package, DebCompression.Gzip)).Tar("control.tar");

        items.Select(i => i.Name).Should().Equal("./", "./conffiles", "./control", "./md5sums", "./postinst", "./triggers");
        items.Single(i => i.Name == "./postinst").Mode.Should().Be(DebModes.Executable);
        items.Single(i => i.Name == "./triggers").Mode.Should().Be(DebModes.Regular);
        Encoding.UTF8.GetString(items.Single(i => i.Name == "./conffiles").Content).Should().Be("/etc/wh-testpkg-ctl/wh-testpkg-ctl.conf\n");

        var control = ControlFile.Parse(Encoding.UTF8.GetString(items.Single(i => i.Name == "./control").Content));
        control.Fields.Select(f => f.Name).Should().ContainInOrder("Maintainer", "Installed-Size", "Section");
        control["Installed-Size"].Should().Be(InstalledSize.Compute(DebDataTree.Create(package.Data)).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var md5sums = Encoding.UTF8.GetString(items.Single(i => i.Name == "./md5sums").Content);
        var expected = package.Data.OfType<DebFile>().Where(f => !f.IsConffile)
            .OrderBy(f => f.Path, DebDataTree.PathOrder.Instance)
            .Select(f => $"{Convert.ToHexStringLower(MD5.HashData(f.Source.Open()))}  {f.Path}\n");
        md5sums.Should().Be(string.Concat(expected));
        md5sums.Should().NotContain(".conf", "conffiles are left out, as dh_md5sums does");
    }

    [Fact]
    public void A_given_installed_size_is_kept()
    {
        var package = SamplePackages.Create("wh-testpkg-size");
        package = package with { Control = package.Control.With("Installed-Size", "999") };

        var items = DebArchive.Read(SamplePackages.Write(package, DebCompression.None)).Tar("control.tar");

        Encoding.UTF8.GetString(items.Single(i => i.Name == "./control").Content).Should().Contain("Installed-Size: 999\n");
    }

    [Theory]
    [InlineData(DebCompression.Xz)]
    [InlineData(DebCompression.Zstd)]
    [InlineData(DebCompression.Gzip)]
    [InlineData(DebCompression.None)]
    public void Output_is_identical_for_any_thread_count_and_for_unseekable_outputs(DebCompression compression)
    {
        // Two xz blocks (24 MiB each) and several zstd jobs (8 MiB at level 3), so the thread count really matters
        // inside; no bigger, as xz takes seconds per block and this runs in the unit loop.
        var random = new Random(7);
        var big = new byte[28 << 20];
        for (var i = 0; i < big.Length; i += 4096)
        {
            random.NextBytes(big.AsSpan(i, 1024));
        }

        var package = SamplePackages.Create("wh-testpkg-det");
        package = package with { Data = [.. package.Data, new DebFile("usr/share/wh-testpkg-det/big", DebFileSource.FromBytes(big))] };

        var one = SamplePackages.Write(package, compression, threads: 1);
        var four = SamplePackages.Write(package, compression, threads: 4);
        using var pipe = new UnseekableStream();
        DebWriter.Write(package, compression, pipe, 3, Path.GetTempPath());

        four.Should().Equal(one);
        pipe.ToArray().Should().Equal(one);
    }

    [Fact]
    public void Gzip_members_carry_no_name_and_no_time()
    {
        var deb = DebArchive.Read(SamplePackages.Write(SamplePackages.Create("wh-testpkg-gz"), DebCompression.Gzip));

        foreach (var member in deb.Members.Skip(1))
        {
            member.Content[..3].Should().Equal(0x1f, 0x8b, 8);
            member.Content[3].Should().Be(0, "FLG: no FNAME, FCOMMENT or FEXTRA");
            member.Content[4..8].Should().Equal(0, 0, 0, 0);
        }
    }

    [Fact]
    public void Bad_control_members_and_timestamps_are_rejected()
    {
        var package = SamplePackages.Create("wh-testpkg-bad", new Dictionary<string, byte[]>
        {
            ["md5sums"] = [],
            ["postinst"] = "echo no shebang"u8.ToArray(),
            ["Bad Name"] = [],
        });

        var write = () => SamplePackages.Write(package, DebCompression.None);
        write.Should().Throw<ArgumentException>()
            .WithMessage("*'md5sums' is generated by the writer*")
            .WithMessage("*'postinst' must start with a #! line*")
            .WithMessage("*'Bad Name' must be*");

        var early = () => SamplePackages.Write(SamplePackages.Create("wh-testpkg-old") with { Timestamp = DateTimeOffset.FromUnixTimeSeconds(-5) }, DebCompression.None);
        early.Should().Throw<ArgumentException>().WithMessage("*before 1970*");
    }

    [Fact]
    public void WriteToFile_leaves_no_temporary_file_behind_and_reports_missing_sources()
    {
        var directory = Directory.CreateTempSubdirectory("wh-deb-file-").FullName;
        try
        {
            var package = SamplePackages.Create("wh-testpkg-file");
            var path = Path.Combine(directory, package.FileName);
            DebWriter.WriteToFile(package, DebCompression.Zstd, path);
            Directory.GetFiles(directory).Should().Equal(path);

            var broken = package with { Data = [.. package.Data, new DebFile("usr/missing", DebFileSource.FromDisk(Path.Combine(directory, "nope")))] };
            var write = () => DebWriter.WriteToFile(broken, DebCompression.Zstd, Path.Combine(directory, "broken.deb"));
            write.Should().Throw<IOException>().WithMessage("*nope*");
            Directory.GetFiles(directory).Should().Equal(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("xz", DebCompression.Xz)]
    [InlineData("ZSTD", DebCompression.Zstd)]
    [InlineData(" gzip ", DebCompression.Gzip)]
    [InlineData("none", DebCompression.None)]
    public void Compression_names_parse(string text, DebCompression expected) => DebCompressions.Parse(text).Should().Be(expected);

    [Fact]
    public void Unknown_compression_names_say_what_is_accepted()
    {
        var parse = () => DebCompressions.Parse("bzip2");

        parse.Should().Throw<FormatException>().WithMessage("unknown compression 'bzip2': use xz, zstd, gzip or none");
    }

    private sealed class UnseekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
