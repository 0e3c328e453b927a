using System.Globalization;
using System.Text;
using Wheelhouse.Packaging.Manifests;

namespace Wheelhouse.Packaging.Templates;

/// <summary>Renders all Debian files of one package from its manifest and templates, each through its typed model.</summary>
public static class PackageRenderer
{
    /// <summary>The substitution a manifest relation may use for this build's version, as dpkg-gencontrol offers.</summary>
    public const string BinaryVersionVariable = "${binary:Version}";

    public static RenderedPackage Render(PackageManifest m, RenderInputs inputs)
    {
        var configDirectory = $"/etc/{m.Package}";
        var user = m.Service?.User ?? "";
        var group = m.Service?.Group ?? "";
        var unit = m.Service?.Unit ?? "";
        var log = m.LogDirectory ?? "";

        var control = RenderTemplate(m, "control", new ControlModel(
            m.Package, inputs.Version, inputs.Architecture, m.Section, m.Priority, m.Maintainer,
            Relations([.. inputs.ComputedDepends, .. m.Relations.Depends], inputs.Version),
            Relations(m.Relations.Recommends, inputs.Version), Relations(m.Relations.Suggests, inputs.Version),
            m.Homepage ?? "", m.Description.Short.Trim(), LongDescription(m.Description.Long)));

        var scriptModel = new MaintainerScriptModel(m.Package, inputs.Version, user, group, m.Service?.Home ?? "", unit,
            m.InstallRoot, configDirectory, [.. m.ConfigFiles.Select(c => c.Path)], m.StateDirectories, log, m.Settings);
        var scripts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in TemplateSet.MaintainerScripts.Concat(TemplateSet.ControlFiles))
        {
            if (TemplateSet.Find(m.TemplateDirectory, name) is { } path)
            {
                scripts[name] = TemplateRenderer.RenderFile(path, scriptModel);
            }
        }

        var unitFile = m.Service is null ? null : new RenderedFile(unit, RenderTemplate(m, unit, new SystemdUnitModel(
            m.Package, m.Description.Short.Trim(), m.Homepage ?? "", user, group, m.InstallRoot, configDirectory,
            m.StateDirectories, log, [.. m.Binaries.Select(b => b.Link)], m.Settings)));

        var extraUnits = (m.Service?.ExtraUnits ?? []).Select(name => new RenderedFile(name, RenderTemplate(m, name, new SystemdUnitModel(
            m.Package, m.Description.Short.Trim(), m.Homepage ?? "", user, group, m.InstallRoot, configDirectory,
            m.StateDirectories, log, [.. m.Binaries.Select(b => b.Link)], m.Settings)))).ToList();

        var configs = m.ConfigFiles.Select(c => new RenderedFile(c.Path, RenderTemplate(m, c.Template, new ConfigFileModel(
            m.Package, c.Path, m.InstallRoot, configDirectory, m.StateDirectories, log, user, m.Settings)))).ToList();

        var copyright = RenderTemplate(m, "copyright", new CopyrightModel(m.Package, m.Maintainer, m.Homepage ?? "", inputs.Timestamp.UtcDateTime.Year));
        var changelog = RenderTemplate(m, "changelog.Debian", new ChangelogModel(m.Package, inputs.Version, inputs.Distribution, "medium",
            m.Maintainer, Rfc2822(inputs.Timestamp), ["Built by the Wheelhouse release pipeline."]));

        var manModel = new ManPageModel(m.Package, inputs.Version, inputs.Timestamp.UtcDateTime.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
            m.Description.Short.Trim(), m.Homepage ?? "", user, unit, [.. m.ConfigFiles.Select(c => c.Path)], m.StateDirectories, m.Settings);
        var manPages = m.ManPages.Select(page => new RenderedFile(page, RenderTemplate(m, page, manModel))).ToList();

        return new RenderedPackage(control, scripts, unitFile, configs, copyright, changelog, LintianOverrideFile(m), manPages) { ExtraUnits = extraUnits };
    }

    /// <summary>The date format of debian/changelog and of apt's Release files, in UTC.</summary>
    public static string Rfc2822(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    private static string RenderTemplate<TModel>(PackageManifest m, string name, TModel model) where TModel : class =>
        TemplateRenderer.RenderFile(
            TemplateSet.Find(m.TemplateDirectory, name)
                ?? throw new TemplateRenderException($"no template {name}{TemplateSet.Extension} for {m.Package} in {m.TemplateDirectory}"),
            model);

    private static string Relations(IEnumerable<string> relations, string version) =>
        string.Join(", ", relations.Select(r => r.Replace(BinaryVersionVariable, version, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal));

    /// <summary>The extended description in control syntax: lines indented by one space, paragraphs separated by " .".</summary>
    internal static string LongDescription(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n').Split('\n')
            .Select(l => l.TrimEnd()).Select(l => l.Length == 0 ? " ." : " " + l);
        return string.Join('\n', lines);
    }

    private static string? LintianOverrideFile(PackageManifest m)
    {
        if (m.LintianOverrides.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var o in m.LintianOverrides.OrderBy(o => o.Tag, StringComparer.Ordinal))
        {
            text.Append("# ").Append(o.Reason.Trim()).Append('\n').Append(m.Package).Append(": ").Append(o.Tag.Trim()).Append('\n');
        }

        return text.ToString();
    }
}
