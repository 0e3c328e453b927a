using Wheelhouse.Packaging.Manifests;
using Wheelhouse.Packaging.Templates;

namespace Wheelhouse.Packaging.Tests.Templates;

/// <summary>
/// The Puppet module and the Ansible role write the nginx site of wheelhouse-nginx with their own parameters. Their
/// templates are that package's site.conf.sbn rendered with each varying setting replaced by a Puppet (EPP) or Jinja2
/// placeholder, so the site's rules live once, in debian-templates/. After changing the site, regenerate them with
/// WHEELHOUSE_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public sealed class ConfigManagementSiteTemplatesTests
{
    /// <summary>The settings the module and the role set, each with the parameter name both use (Ansible prefixes it).</summary>
    public static readonly IReadOnlyDictionary<string, string> Parameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["server-name"] = "server_name",
        ["http-port"] = "http_port",
        ["https-port"] = "https_port",
        ["ssl-certificate"] = "ssl_certificate",
        ["ssl-certificate-key"] = "ssl_certificate_key",
        ["max-upload-size"] = "max_upload_size",
        ["upstream"] = "upstream",
        ["served-tree"] = "served_tree",
    };

    private static PackageManifest Nginx() =>
        ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path).Single(m => m.Package == "wheelhouse-nginx");

    /// <summary>The site with every parameter as <paramref name="placeholder"/> makes it.</summary>
    public static string SiteWith(Func<string, string> placeholder)
    {
        var m = Nginx();
        var settings = m.Settings.ToDictionary(s => s.Key, s => Parameters.TryGetValue(s.Key, out var name) ? placeholder(name) : s.Value, StringComparer.Ordinal);
        var rendered = PackageRenderer.Render(m with { Settings = settings }, new RenderInputs("0", "all", [], PackageRendererGoldenTests.Epoch));
        return rendered.ConfigFiles.Single(c => c.Name == "/etc/nginx/sites-available/wheelhouse").Text;
    }

    [Fact]
    public void Every_parameter_is_a_setting_of_the_package()
    {
        Nginx().Settings.Keys.Should().Contain(Parameters.Keys);
    }

    [Fact]
    public void The_puppet_template_is_the_package_s_site()
    {
        var header = "<%- | " + string.Join(",\n      ", Parameters.Values.Select(p => $"String $" + p)) + ",\n| -%>\n"
            + "# Managed by Puppet (class wheelhouse::nginx, module wheelhouse): edits here are overwritten on its next run.\n"
            + "# Generated from debian-templates/wheelhouse-nginx/site.conf.sbn (tests: ConfigManagementSiteTemplatesTests).\n";
        var text = header + SiteWith(p => $"<%= ${p} %>");
        text.Should().NotContain("{{").And.NotContain("$" + "settings");
        Golden.VerifyFile(Testing.RepositoryRoot.Combine("deploy", "puppet", "wheelhouse", "templates", "nginx-site.conf.epp"), "nginx-site.conf.epp", text);
    }

    [Fact]
    public void The_ansible_template_is_the_package_s_site()
    {
        var site = SiteWith(p => "{{ wheelhouse_nginx_" + p + " }}");
        // Jinja2 would read these as its own syntax.
        site.Replace("{{ wheelhouse_nginx_", "", StringComparison.Ordinal).Should().NotContain("{{").And.NotContain("{%").And.NotContain("{#");
        var text = "# Managed by Ansible (role wheelhouse): edits here are overwritten on its next run.\n"
            + "# Generated from debian-templates/wheelhouse-nginx/site.conf.sbn (tests: ConfigManagementSiteTemplatesTests).\n" + site;
        Golden.VerifyFile(Testing.RepositoryRoot.Combine("deploy", "ansible", "roles", "wheelhouse", "templates", "nginx-site.conf.j2"), "nginx-site.conf.j2", text);
    }
}
