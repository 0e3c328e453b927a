using Wheelhouse.Packaging.Tests.Deb;

namespace Wheelhouse.Packaging.Tests.Pipeline;

/// <summary>dpkg-deb reads what the pipeline wrote, and sees the layout Debian expects.</summary>
[Integration]
[Collection(PipelineCollection.Name)]
public sealed class DpkgDebTests(PipelineFixture pipeline)
{
    [Fact]
    public async Task Info_shows_the_control_fields_and_the_maintainer_scripts()
    {
        var info = await ProcessRunner.RunOkAsync("dpkg-deb", "--info", pipeline.ServerDeb);

        info.Should().Contain(" Package: wheelhouse-server\n").And.Contain($" Version: {PipelineFixture.Version}\n")
            .And.Contain(" Architecture: amd64\n").And.Contain(" Installed-Size: ")
            .And.MatchRegex(@" Depends: .*libc6 \(>= [0-9.]+\).*adduser")
            .And.Contain("postinst").And.Contain("prerm").And.Contain("postrm").And.Contain("conffiles");
        (await ProcessRunner.RunOkAsync("dpkg-deb", "--field", pipeline.ServerDeb, "Package")).Should().Be("wheelhouse-server\n");
    }

    [Fact]
    public async Task Contents_hold_the_isolated_install_root_links_config_unit_and_docs()
    {
        var contents = await ProcessRunner.RunOkAsync("dpkg-deb", "--contents", pipeline.ServerDeb);

        contents.Should().MatchRegex(@"-rwxr-xr-x root/root +\d+ [-0-9: ]+\./usr/lib/wheelhouse-server/wheelhouse-server\n")
            .And.MatchRegex(@"-rw-r--r-- root/root +\d+ [-0-9: ]+\./usr/lib/wheelhouse-server/wheelhouse-server\.dll\n")
            .And.Contain("./usr/bin/wheelhouse-server -> ../lib/wheelhouse-server/wheelhouse-server\n")
            .And.Contain("./etc/wheelhouse-server/wheelhouse.json\n")
            .And.Contain("./usr/lib/systemd/system/wheelhouse-server.service\n")
            .And.Contain("./usr/share/doc/wheelhouse-server/copyright\n")
            .And.Contain("./usr/share/doc/wheelhouse-server/changelog.Debian.gz\n")
            .And.Contain("./usr/share/man/man1/wheelhouse-server.1.gz\n")
            .And.Contain("./usr/share/lintian/overrides/wheelhouse-server\n")
            .And.Contain("2026-01-02 03:04 ./usr/bin/", "every mtime is SOURCE_DATE_EPOCH");
        contents.Should().NotContain(".pdb");
    }

    [Fact]
    public async Task Tar_reads_the_data_member_without_a_warning()
    {
        var result = await ProcessRunner.ShellAsync($"dpkg-deb --fsys-tarfile '{pipeline.ServerDeb}' | tar -tvf - >/dev/null");

        result.ExitCode.Should().Be(0);
        result.StandardError.Should().BeEmpty();
    }
}
