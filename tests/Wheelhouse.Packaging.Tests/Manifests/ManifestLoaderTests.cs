using Wheelhouse.Packaging.Manifests;

namespace Wheelhouse.Packaging.Tests.Manifests;

public sealed class ManifestLoaderTests : IDisposable
{
    private const string Valid = """
        package: wh-sample
        section: net
        priority: optional
        maintainer: Sample Maintainer <sample@example.org>
        description:
          short: a sample package
          long: |
            First paragraph.

            Second paragraph.
        architecture: all
        config-files:
          - path: /etc/wh-sample/sample.conf
            template: sample.conf
        service:
          user: wh-sample
          unit: wh-sample.service
        state-directories: [/var/lib/wh-sample]
        depends: [adduser, "other (= ${binary:Version})"]
        lintian-overrides:
          - tag: some-tag
            reason: because
        settings:
          listen-port: "8080"
        """;

    private readonly TempDirectory _root = new("wh-manifest");

    public ManifestLoaderTests()
    {
        foreach (var name in new[] { "control", "copyright", "changelog.Debian" })
        {
            _root.Write($"_common/{name}.sbn", "x");
        }

        _root.Write("wh-sample/sample.conf.sbn", "x");
        _root.Write("wh-sample/wh-sample.service.sbn", "x");
    }

    public void Dispose() => _root.Dispose();

    private (PackageManifest? Manifest, IReadOnlyList<ManifestProblem> Problems) Load(string yaml) =>
        ManifestLoader.Load(_root.Write("wh-sample/manifest.yaml", yaml), _root.Path);

    [Fact]
    public void A_valid_manifest_gives_a_typed_model_with_defaults()
    {
        var (m, problems) = Load(Valid);

        problems.Should().BeEmpty();
        m!.Package.Should().Be("wh-sample");
        m.Architecture.Should().Be(ArchitectureMode.All);
        m.InstallRoot.Should().Be("/usr/lib/wh-sample", "the install root defaults to /usr/lib/<package>");
        m.Service.Should().Be(new ServiceSpec("wh-sample", "wh-sample", "/var/lib/wh-sample", "wh-sample.service"));
        m.ConfigFiles.Should().Equal(new ConfigFileSpec("/etc/wh-sample/sample.conf", "sample.conf"));
        m.Relations.Depends.Should().Equal("adduser", "other (= ${binary:Version})");
        m.LintianOverrides.Should().Equal(new LintianOverride("some-tag", "because"));
        m.Settings.Should().ContainKey("listen-port").WhoseValue.Should().Be("8080");
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_the_key_the_file_and_the_line()
    {
        var (m, problems) = Load(Valid + "\nhomepgae: https://example.org\n");

        m.Should().BeNull();
        problems.Should().ContainSingle();
        problems[0].Message.Should().Contain("unknown key 'homepgae'");
        problems[0].File.Should().EndWith("wh-sample/manifest.yaml");
        problems[0].Line.Should().Be(Valid.Split('\n').Length + 1);
        problems[0].ToString().Should().StartWith(problems[0].File + ":");
    }

    [Fact]
    public void An_unknown_nested_key_is_reported_with_its_path()
    {
        var (_, problems) = Load(Valid.Replace("  user: wh-sample", "  user: wh-sample\n  usr: typo", StringComparison.Ordinal));

        problems.Select(p => p.Message).Should().ContainSingle(m => m.Contains("unknown key 'service.usr'"));
    }

    [Fact]
    public void A_missing_required_field_is_an_error()
    {
        var (m, problems) = Load(Valid.Replace("section: net\n", "", StringComparison.Ordinal));

        m.Should().BeNull();
        problems.Select(p => p.Message).Should().ContainSingle(m => m.Contains("missing required field 'section'"));
    }

    [Theory]
    [InlineData("depends: [adduser, \"other (= ${binary:Version})\"]", "depends: adduser", "'depends' must be a list")]
    [InlineData("config-files:\n  - path: /etc/wh-sample/sample.conf\n    template: sample.conf", "config-files: /etc/wh-sample/sample.conf", "'config-files' must be a list")]
    public void A_scalar_where_a_list_belongs_is_an_error_naming_the_key(string listLine, string scalarLine, string expected)
    {
        Valid.Should().Contain(listLine);
        var (m, problems) = Load(Valid.Replace(listLine, scalarLine, StringComparison.Ordinal));

        m.Should().BeNull();
        problems.Select(p => p.Message).Should().ContainSingle(p => p.Contains(expected));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var yaml = Valid
            .Replace("section: net\n", "", StringComparison.Ordinal)
            .Replace("priority: optional", "priority: urgent", StringComparison.Ordinal)
            .Replace("path: /etc/wh-sample/sample.conf", "path: /opt/sample.conf", StringComparison.Ordinal)
            .Replace("template: sample.conf", "template: missing.conf", StringComparison.Ordinal)
            + "\nextra: 1\n";

        var (_, problems) = Load(yaml);

        problems.Select(p => p.Message).Should().SatisfyRespectively(
            p => p.Should().Contain("missing required field 'section'"),
            p => p.Should().Contain("unknown key 'extra'"),
            p => p.Should().Contain("priority 'urgent'"),
            p => p.Should().Contain("'/opt/sample.conf' must be under /etc/"),
            p => p.Should().Contain("template 'missing.conf.sbn' not found"));
    }

    [Fact]
    public void A_per_arch_package_needs_a_payload()
    {
        var (_, problems) = Load(Valid.Replace("architecture: all", "architecture: per-arch", StringComparison.Ordinal));

        problems.Select(p => p.Message).Should().ContainSingle(m => m.Contains("needs 'payload'"));
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_position()
    {
        var (m, problems) = Load("package: [unclosed\n");

        m.Should().BeNull();
        problems.Should().ContainSingle().Which.Message.Should().StartWith("not valid YAML");
    }

    [Fact]
    public void LoadAll_throws_one_exception_listing_the_problems_of_every_manifest()
    {
        Load(Valid + "\nfirst-typo: 1\n");
        _root.Write("wh-other/manifest.yaml", Valid.Replace("package: wh-sample", "package: wh-other", StringComparison.Ordinal) + "\nsecond-typo: 1\n");
        _root.Write("wh-other/sample.conf.sbn", "x");
        _root.Write("wh-other/wh-sample.service.sbn", "x");

        var act = () => ManifestLoader.LoadAll(_root.Path, _root.Path);

        act.Should().Throw<ManifestException>()
            .Which.Problems.Select(p => p.Message).Should().Contain(m => m.Contains("first-typo")).And.Contain(m => m.Contains("second-typo"));
    }

    [Fact]
    public void The_repository_manifests_are_valid()
    {
        var manifests = ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path);

        manifests.Select(m => m.Package).Should().Contain("wheelhouse-server");
        manifests.Single(m => m.Package == "wheelhouse-server").InstallRoot.Should().Be("/usr/lib/wheelhouse-server");
    }
}
