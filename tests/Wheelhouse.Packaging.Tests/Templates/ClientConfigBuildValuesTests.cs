using Wheelhouse.Packaging.Manifests;
using Wheelhouse.Packaging.Templates;
using Wheelhouse.Packaging.Tests.Deb;
using Wheelhouse.Packaging.Tests.Manifests;

namespace Wheelhouse.Packaging.Tests.Templates;

/// <summary>
/// wheelhouse-client-config built with a company index and CA (./build.sh deb --client-index-url --client-ca): the
/// values become the debconf defaults, and the CA travels in the postinst, which stays valid shell.
/// </summary>
[Integration]
public sealed class ClientConfigBuildValuesTests : IDisposable
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FmZQ==\n-----END CERTIFICATE-----\n";
    private readonly TempDirectory _dir = new("wh-client-config");

    public void Dispose() => _dir.Dispose();

    private static RenderedPackage Render(string indexUrl, string pem)
    {
        var m = ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path).Single(p => p.Package == "wheelhouse-client-config");
        var settings = new Dictionary<string, string>(m.Settings, StringComparer.Ordinal) { ["index-url"] = indexUrl, ["ca-certificate"] = pem };
        return PackageRenderer.Render(m with { Settings = settings }, new RenderInputs("1.2.3-1", "all", [], PackageRendererGoldenTests.Epoch));
    }

    [Fact]
    public void The_build_values_are_the_debconf_defaults()
    {
        var templates = Render("https://pypi.example.com/root/pypi/+simple/", Pem).MaintainerScripts["templates"];

        templates.Should().Contain("Template: wheelhouse-client-config/index-url\nType: string\nDefault: https://pypi.example.com/root/pypi/+simple/\n");
        templates.Should().Contain("Template: wheelhouse-client-config/ca-certificate\nType: string\nDefault: built-in\n");
    }

    [Fact]
    public async Task The_built_in_ca_is_printed_by_the_postinst_exactly()
    {
        var postinst = Render("https://pypi.example.com/root/pypi/+simple/", Pem).MaintainerScripts["postinst"];
        var function = postinst[postinst.IndexOf("builtin_ca() {", StringComparison.Ordinal)..];
        function = function[..(function.IndexOf("\n}\n", StringComparison.Ordinal) + 3)];
        var script = _dir.Write("builtin.sh", "#!/bin/sh\nset -e\n" + function + "builtin_ca\n");

        (await ProcessRunner.RunAsync("dash", ["-n", _dir.Write("postinst", postinst)])).ExitCode.Should().Be(0);
        var run = await ProcessRunner.RunAsync("dash", [script]);
        run.ExitCode.Should().Be(0, run.StandardError);
        run.StandardOutput.Should().Be(Pem);
    }
}
