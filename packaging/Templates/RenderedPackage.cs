namespace Wheelhouse.Packaging.Templates;

/// <summary>Every Debian file of one package, rendered, before it is laid out into a .deb.</summary>
/// <param name="MaintainerScripts">control.tar member name (postinst, config, ..., and debconf's templates) to its text; only those the package has templates for.</param>
/// <param name="Unit">The systemd unit's file name and text, or null when the package runs no service.</param>
/// <param name="LintianOverrides">The override file's text, or null when the manifest lists none.</param>
/// <param name="ManPages">Each page's file name (e.g. wheelhouse-server.1) and roff text.</param>
public sealed record RenderedPackage(
    string Control,
    IReadOnlyDictionary<string, string> MaintainerScripts,
    RenderedFile? Unit,
    IReadOnlyList<RenderedFile> ConfigFiles,
    string Copyright,
    string Changelog,
    string? LintianOverrides,
    IReadOnlyList<RenderedFile> ManPages)
{
    /// <summary>The manifest's <c>service.extra-units</c>, rendered: installed, not enabled.</summary>
    public IReadOnlyList<RenderedFile> ExtraUnits { get; init; } = [];

    /// <summary>Every rendered text with a stable name, for golden tests and the input hash of the incremental build.</summary>
    public IEnumerable<RenderedFile> All()
    {
        yield return new RenderedFile("control", Control);
        foreach (var (name, text) in MaintainerScripts.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            yield return new RenderedFile(name, text);
        }

        if (Unit is not null)
        {
            yield return Unit;
        }

        foreach (var extra in ExtraUnits)
        {
            yield return extra;
        }

        foreach (var config in ConfigFiles)
        {
            yield return config;
        }

        foreach (var page in ManPages)
        {
            yield return page;
        }

        yield return new RenderedFile("copyright", Copyright);
        yield return new RenderedFile("changelog.Debian", Changelog);
        if (LintianOverrides is not null)
        {
            yield return new RenderedFile("lintian-overrides", LintianOverrides);
        }
    }
}

/// <summary>A rendered file: its name (or absolute install path, for conffiles) and text.</summary>
public sealed record RenderedFile(string Name, string Text);
