using System.Globalization;
using System.Text.RegularExpressions;
using Wheelhouse.Packaging.Manifests;
using Wheelhouse.Packaging.Tests.Deb;
using Wheelhouse.Packaging.Tests.Manifests;

namespace Wheelhouse.Packaging.Tests.Templates;

/// <summary>The rendered files of every package, checked by the tools that will read them.</summary>
[Integration]
public sealed partial class RenderedFileChecksTests : IDisposable
{
    private readonly TempDirectory _dir = new("wh-rendered");

    public void Dispose() => _dir.Dispose();

    private static IEnumerable<PackageManifest> Manifests() =>
        ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path);

    [Fact]
    public async Task Maintainer_scripts_are_valid_posix_shell_with_set_e()
    {
        foreach (var m in Manifests())
        {
            foreach (var (name, text) in PackageRendererGoldenTests.RenderFixed(m).MaintainerScripts.Where(s => Wheelhouse.Packaging.Templates.TemplateSet.MaintainerScripts.Contains(s.Key)))
            {
                var path = _dir.Write($"{m.Package}.{name}", text);
                var check = await ProcessRunner.RunAsync("dash", ["-n", path]);
                check.ExitCode.Should().Be(0, $"{m.Package} {name}: {check.StandardError}");
                text.Should().StartWith("#!/bin/sh\n").And.Contain("\nset -e\n").And.Contain("case \"$1\" in");
            }
        }
    }

    [Fact]
    public async Task Every_systemd_unit_has_an_exposure_of_two_or_lower_and_keeps_the_jit_working()
    {
        foreach (var m in Manifests().Where(m => m.Service is not null))
        {
            var unit = PackageRendererGoldenTests.RenderFixed(m).Unit!;
            var path = _dir.Write(unit.Name, unit.Text);

            var result = await ProcessRunner.RunAsync("systemd-analyze", ["security", "--offline=true", path]);

            var match = Exposure().Match(result.StandardOutput + result.StandardError);
            match.Success.Should().BeTrue($"systemd-analyze should rate {unit.Name}: {result.StandardOutput}{result.StandardError}");
            double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeLessThanOrEqualTo(2.0, unit.Name);
            unit.Text.Split('\n').Should().NotContain(l => l.StartsWith("MemoryDenyWriteExecute=", StringComparison.Ordinal),
                ".NET's JIT needs writable and executable memory");
        }
    }

    [GeneratedRegex(@"Overall exposure level for \S+: ([0-9.]+)")]
    private static partial Regex Exposure();
}
