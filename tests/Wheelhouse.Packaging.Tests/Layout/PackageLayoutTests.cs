using System.IO.Compression;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Layout;
using Wheelhouse.Packaging.Manifests;
using Wheelhouse.Packaging.Tests.Manifests;
using Wheelhouse.Packaging.Tests.Templates;

namespace Wheelhouse.Packaging.Tests.Layout;

/// <summary>The wheelhouse-server manifest laid out over a small fake publish tree.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PackageLayoutTests : IDisposable
{
    private readonly TempDirectory _publish = new("wh-publish");
    private readonly PackageManifest _manifest = ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path)
        .Single(m => m.Package == "wheelhouse-server");

    public PackageLayoutTests()
    {
        File.Copy("/usr/bin/true", _publish.Combine("wheelhouse-server")); // a real ELF program, like the apphost
        _publish.Write("wheelhouse-server.dll", "managed");
        _publish.Write("wheelhouse-server.pdb", "symbols");
        _publish.Write("wwwroot/site.css", "body {}");
        File.Copy(FileModesTests.RuntimeLibrary, _publish.Combine("libSystem.Native.so"));
        var executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        foreach (var name in new[] { "wheelhouse-server", "wheelhouse-server.dll", "libSystem.Native.so" })
        {
            File.SetUnixFileMode(_publish.Combine(name), executable); // NuGet caches give every file an execute bit
        }
    }

    public void Dispose() => _publish.Dispose();

    private DebPackage Build()
    {
        var rendered = PackageRendererGoldenTests.RenderFixed(_manifest);
        return PackageLayout.Build(_manifest, new LayoutInputs(rendered, _publish.Path, Testing.RepositoryRoot.Path, PackageRendererGoldenTests.Epoch));
    }

    private static T Entry<T>(DebPackage package, string path) where T : DebEntry =>
        package.Data.OfType<T>().Should().ContainSingle(e => e.Path == path, $"the package should hold {path}").Subject;

    [Fact]
    public void The_publish_output_lands_in_the_install_root_with_normalized_modes()
    {
        var package = Build();

        Entry<DebFile>(package, "usr/lib/wheelhouse-server/wheelhouse-server").Mode.Should().Be(DebModes.Executable);
        Entry<DebFile>(package, "usr/lib/wheelhouse-server/wheelhouse-server.dll").Mode.Should().Be(DebModes.Regular, "a .dll is not a program even with an execute bit");
        Entry<DebFile>(package, "usr/lib/wheelhouse-server/libSystem.Native.so").Mode.Should().Be(DebModes.Regular, "shared objects are not executed");
        Entry<DebFile>(package, "usr/lib/wheelhouse-server/wwwroot/site.css").Mode.Should().Be(DebModes.Regular);
        package.Data.Should().NotContain(e => e.Path.EndsWith(".pdb", StringComparison.Ordinal), "the manifest excludes *.pdb");
    }

    [Fact]
    public void Binaries_are_relative_symlinks_into_the_install_root()
    {
        Entry<DebSymlink>(Build(), "usr/bin/wheelhouse-server").Target.Should().Be("../lib/wheelhouse-server/wheelhouse-server");
    }

    [Fact]
    public void Config_files_are_conffiles_in_etc_and_the_unit_goes_to_usr_lib_systemd()
    {
        var package = Build();

        Entry<DebFile>(package, "etc/wheelhouse-server/wheelhouse.json").IsConffile.Should().BeTrue();
        package.Data.OfType<DebFile>().Where(f => f.IsConffile).Should().ContainSingle();
        Entry<DebFile>(package, "usr/lib/systemd/system/wheelhouse-server.service").Mode.Should().Be(DebModes.Regular);
    }

    [Fact]
    public void The_backup_timer_and_its_service_are_installed_and_not_enabled()
    {
        var package = Build();

        Entry<DebFile>(package, "usr/lib/systemd/system/wheelhouse-server-backup.service").Mode.Should().Be(DebModes.Regular);
        Entry<DebFile>(package, "usr/lib/systemd/system/wheelhouse-server-backup.timer").Mode.Should().Be(DebModes.Regular);
        package.Data.Select(e => e.Path).Should().NotContain(p => p.Contains("timers.target.wants", StringComparison.Ordinal), "shipped disabled");
        package.ControlScripts.Values.Select(System.Text.Encoding.UTF8.GetString).Should().NotContain(s => s.Contains("backup", StringComparison.Ordinal),
            "no maintainer script enables or starts the backup timer");
    }

    [Fact]
    public void Docs_man_pages_and_overrides_are_in_usr_share()
    {
        var package = Build();

        Entry<DebFile>(package, "usr/share/doc/wheelhouse-server/copyright");
        Entry<DebFile>(package, "usr/share/lintian/overrides/wheelhouse-server");
        Entry<DebFile>(package, "usr/share/man/man1/wheelhouse-server.1.gz");
        var changelog = Entry<DebFile>(package, "usr/share/doc/wheelhouse-server/changelog.Debian.gz");
        using var stream = changelog.Source.Open();
        var header = new byte[10];
        stream.ReadExactly(header);
        header[3].Should().Be(0, "gzip -n: no file name flag");
        BitConverter.ToInt32(header, 4).Should().Be(0, "gzip -n: no timestamp");
        stream.Position = 0;
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        reader.ReadToEnd().Should().StartWith("wheelhouse-server (1.2.3-1) stable; urgency=medium");
    }

    [Fact]
    public void Control_and_maintainer_scripts_come_from_the_rendered_templates()
    {
        var package = Build();

        package.Control.Package.Should().Be("wheelhouse-server");
        package.Control.Architecture.Should().Be("amd64");
        package.Control["Depends"].Should().Contain("adduser");
        package.ControlScripts.Keys.Should().BeEquivalentTo("postinst", "prerm", "postrm");
        package.Timestamp.Should().Be(PackageRendererGoldenTests.Epoch);
    }

    [Fact]
    public void A_binary_missing_from_the_publish_output_is_a_clear_error()
    {
        File.Delete(_publish.Combine("wheelhouse-server"));

        var act = Build;

        act.Should().Throw<InvalidOperationException>().WithMessage("*/usr/bin/wheelhouse-server*does not contain*");
    }

    [Theory]
    [InlineData("/usr/bin/tool", "/usr/lib/pkg/tool", "../lib/pkg/tool")]
    [InlineData("/usr/bin/tool", "/opt/venvs/pkg/bin/tool", "../../opt/venvs/pkg/bin/tool")]
    [InlineData("/usr/sbin/tool", "/usr/sbin/real-tool", "real-tool")]
    public void Relative_links_climb_only_as_far_as_needed(string link, string target, string expected)
    {
        PackageLayout.RelativeLink(link, target).Should().Be(expected);
    }
}
