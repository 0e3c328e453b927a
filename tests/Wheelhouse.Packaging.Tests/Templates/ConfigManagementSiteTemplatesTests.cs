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
        ["upstreams"] = "upstreams",
        ["served-tree"] = "served_tree",
    };

    private static PackageManifest Nginx() =>
        ManifestLoader.LoadAll(Testing.RepositoryRoot.Combine("debian-templates"), Testing.RepositoryRoot.Path).Single(m => m.Package == "wheelhouse-nginx");

    /// <summary>The list parameter: the site has one server line per node, which the module and the role write in a loop.</summary>
    public const string ListParameter = "upstreams";

    /// <summary>Stands for one node in the rendered site until <see cref="WithUpstreamLoop"/> turns its line into a loop.</summary>
    private const string OneUpstream = "WHEELHOUSE-ONE-UPSTREAM";

    /// <summary>The site with every parameter as <paramref name="placeholder"/> makes it, and one server line for the nodes.</summary>
    public static string SiteWith(Func<string, string> placeholder)
    {
        var m = Nginx();
        var settings = m.Settings.ToDictionary(s => s.Key,
            s => !Parameters.TryGetValue(s.Key, out var name) ? s.Value : name == ListParameter ? OneUpstream : placeholder(name), StringComparer.Ordinal);
        var rendered = PackageRenderer.Render(m with { Settings = settings }, new RenderInputs("0", "all", [], PackageRendererGoldenTests.Epoch));
        return rendered.ConfigFiles.Single(c => c.Name == "/etc/nginx/sites-available/wheelhouse").Text;
    }

    /// <summary>The node's server line repeated for each node: <paramref name="loop"/> gets the line with the node as <paramref name="node"/>.</summary>
    private static string WithUpstreamLoop(string site, string node, Func<string, string> loop)
    {
        var lines = site.Split('\n').ToList();
        var i = lines.FindIndex(l => l.Contains(OneUpstream, StringComparison.Ordinal));
        i.Should().BeGreaterThanOrEqualTo(0, "the site has a server line per node");
        lines.Count(l => l.Contains(OneUpstream, StringComparison.Ordinal)).Should().Be(1);
        lines[i] = loop(lines[i].Replace(OneUpstream, node, StringComparison.Ordinal));
        return string.Join('\n', lines);
    }

    [Fact]
    public void Every_parameter_is_a_setting_of_the_package()
    {
        Nginx().Settings.Keys.Should().Contain(Parameters.Keys);
    }

    [Fact]
    public void The_puppet_template_is_the_package_s_site()
    {
        var header = "<%- | " + string.Join(",\n      ", Parameters.Values.Select(p => (p == ListParameter ? "Array[String[1], 1] $" : "String $") + p)) + ",\n| -%>\n"
            + "# Managed by Puppet (class wheelhouse::nginx, module wheelhouse): edits here are overwritten on its next run.\n"
            + "# Generated from debian-templates/wheelhouse-nginx/site.conf.sbn (tests: ConfigManagementSiteTemplatesTests).\n";
        var text = header + WithUpstreamLoop(SiteWith(p => $"<%= ${p} %>"), "<%= $upstream %>",
            line => $"<% ${ListParameter}.each |$upstream| {{ -%>\n{line}\n<% }} -%>");
        text.Should().NotContain("{{").And.NotContain("$" + "settings");
        Golden.VerifyFile(Testing.RepositoryRoot.Combine("deploy", "puppet", "wheelhouse", "templates", "nginx-site.conf.epp"), "nginx-site.conf.epp", text);
    }

    [Fact]
    public void The_ansible_template_is_the_package_s_site()
    {
        var site = SiteWith(p => "{{ wheelhouse_nginx_" + p + " }}");
        // Jinja2 would read these as its own syntax.
        site.Replace("{{ wheelhouse_nginx_", "", StringComparison.Ordinal).Should().NotContain("{{").And.NotContain("{%").And.NotContain("{#");
        // The role's template module trims the newline after a block tag (trim_blocks), so the loop adds no blank lines.
        var text = "# Managed by Ansible (role wheelhouse): edits here are overwritten on its next run.\n"
            + "# Generated from debian-templates/wheelhouse-nginx/site.conf.sbn (tests: ConfigManagementSiteTemplatesTests).\n"
            + WithUpstreamLoop(site, "{{ upstream }}", line => $"{{% for upstream in wheelhouse_nginx_{ListParameter} %}}\n{line}\n{{% endfor %}}");
        Golden.VerifyFile(Testing.RepositoryRoot.Combine("deploy", "ansible", "roles", "wheelhouse", "templates", "nginx-site.conf.j2"), "nginx-site.conf.j2", text);
    }
}
