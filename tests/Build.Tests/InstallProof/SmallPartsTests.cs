using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Wheelhouse.Build.InstallProof;
using Wheelhouse.Build.InstallProof.Steps;

namespace Wheelhouse.Build.Tests.InstallProof;

public sealed class SmallPartsTests
{
    [Theory]
    [InlineData("Serving HTTP on 127.0.0.1 port 41235 (http://127.0.0.1:41235/) ...", 41235)]
    [InlineData("127.0.0.1 - - [28/Nov/2026 19:00:00] \"GET /dists/stable/InRelease HTTP/1.1\" 200 -", null)]
    public void Repository_server_port_comes_from_the_banner(string line, int? port) =>
        RepositoryServer.PortFromBanner(line).Should().Be(port);

    [Fact]
    public void Repository_server_binds_loopback_only_and_enters_the_container_network_when_asked()
    {
        var command = RepositoryServer.Command("/srv/apt", 99);
        command.Take(5).Should().Equal("nsenter", "--target", "99", "--net", "--");
        command.Should().ContainInOrder("--bind", "127.0.0.1").And.Contain("-I");
        RepositoryServer.Command("/srv/apt", null)[0].Should().Be("/usr/bin/python3");
    }

    [Theory]
    [InlineData("→ Overall exposure level for wheelhouse-server.service: 1.9 OK :-)", 1.9)]
    [InlineData("→ Overall exposure level for x.service: 9.6 UNSAFE 😨", 9.6)]
    [InlineData("Failed to load unit", null)]
    public void Exposure_is_read_from_systemd_analyze(string output, double? exposure) =>
        UnitSandboxIsTight.ExposureFrom(output).Should().Be(exposure is null ? null : (decimal)exposure.Value);

    [Fact]
    public void A_release_file_is_looked_for_under_its_url_in_the_served_tree_and_its_blob_by_hash()
    {
        var sha = "0123456789abcdef" + new string('e', 48);
        var (tree, blob) = NginxServesReleaseFilesFromDisk.DiskPaths("/var/lib/wheelhouse-server", "/proof/dev/+f/012/3456789abcdef/x-1.0-py3-none-any.whl", sha);
        tree.Should().Be("/var/lib/wheelhouse-server/+f-tree/proof/dev/+f/012/3456789abcdef/x-1.0-py3-none-any.whl");
        blob.Should().Be($"/var/lib/wheelhouse-server/+files/sha256/01/23456789abcdef{new string('e', 48)}");
    }

    [Fact]
    public void Source_line_uses_signed_by_with_the_installed_keyring() =>
        SignedRepositoryIsAccepted.SourceLine("http://127.0.0.1:8000", "stable", "main").Should()
            .Be("deb [signed-by=/usr/share/keyrings/wheelhouse-archive-keyring.gpg] http://127.0.0.1:8000 stable main");

    [Integration]
    [Theory]
    [InlineData("1.2.3-1")]
    [InlineData("0.0.0~dev.20+g5012950-1")]
    public void Upgrade_version_sorts_after_the_build_and_before_the_next_revision(string version)
    {
        var upgrade = ProofVersions.UpgradeOf(version);
        DpkgCompare(upgrade, "gt", version).Should().BeTrue();
        DpkgCompare(upgrade, "lt", version[..version.LastIndexOf('-')] + "-2").Should().BeTrue();
    }

    [Fact]
    public void Test_wheel_is_a_zip_whose_record_lists_every_file_with_its_hash()
    {
        var wheel = TestWheel.Default;
        wheel.FileName.Should().Be("wheelhouse_install_proof-1.0-py3-none-any.whl");
        using var zip = new ZipArchive(new MemoryStream(wheel.Build()));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        names.Should().Contain(["wheelhouse_install_proof/__init__.py", "wheelhouse_install_proof-1.0.dist-info/METADATA",
            "wheelhouse_install_proof-1.0.dist-info/WHEEL", "wheelhouse_install_proof-1.0.dist-info/RECORD"]);
        var record = new StreamReader(zip.GetEntry("wheelhouse_install_proof-1.0.dist-info/RECORD")!.Open()).ReadToEnd();
        foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith("RECORD", StringComparison.Ordinal)))
        {
            using var content = new MemoryStream();
            entry.Open().CopyTo(content);
            var hash = Convert.ToBase64String(SHA256.HashData(content.ToArray())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            record.Should().Contain($"{entry.FullName},sha256={hash},{content.Length}\n");
        }
    }

    private static bool DpkgCompare(string a, string op, string b)
    {
        using var dpkg = Process.Start("dpkg", ["--compare-versions", a, op, b])!;
        dpkg.WaitForExit();
        return dpkg.ExitCode == 0;
    }
}
