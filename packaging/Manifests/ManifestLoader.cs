using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wheelhouse.Packaging.Manifests;

/// <summary>
/// Loads <c>debian-templates/*/manifest.yaml</c> strictly: unknown keys, missing fields and bad values
/// are all reported together, each with its file and line.
/// </summary>
public static class ManifestLoader
{
    public const string FileName = "manifest.yaml";

    /// <summary>Every package under <paramref name="templatesRoot"/>, sorted by name; throws listing every problem of every manifest.</summary>
    public static IReadOnlyList<PackageManifest> LoadAll(string templatesRoot, string repositoryRoot)
    {
        if (!Directory.Exists(templatesRoot))
        {
            throw new ManifestException([new ManifestProblem(templatesRoot, 0, 0, "the templates folder does not exist")]);
        }

        var manifests = new List<PackageManifest>();
        var problems = new List<ManifestProblem>();
        foreach (var file in Directory.GetFiles(templatesRoot, FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var (manifest, found) = Load(file, repositoryRoot);
            problems.AddRange(found);
            if (manifest is not null)
            {
                manifests.Add(manifest);
            }
        }
        foreach (var duplicate in manifests.GroupBy(m => m.Package).Where(g => g.Count() > 1))
        {
            problems.Add(new ManifestProblem(templatesRoot, 0, 0, $"package '{duplicate.Key}' is declared by more than one manifest"));
        }

        if (problems.Count > 0)
        {
            throw new ManifestException(problems);
        }

        if (manifests.Count == 0)
        {
            throw new ManifestException([new ManifestProblem(templatesRoot, 0, 0, $"no {FileName} found in any sub-folder")]);
        }

        return manifests.OrderBy(m => m.Package, StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads one manifest; the manifest is null whenever any problem was found.</summary>
    public static (PackageManifest? Manifest, IReadOnlyList<ManifestProblem> Problems) Load(string file, string repositoryRoot)
    {
        var problems = new List<ManifestProblem>();
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            yaml.Load(reader);
        }
        catch (YamlException ex)
        {
            problems.Add(new ManifestProblem(file, ex.Start.Line, ex.Start.Column, $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}"));
            return (null, problems);
        }
        if (yaml.Documents.Count != 1 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new ManifestProblem(file, 0, 0, "must hold exactly one YAML document whose top level is a mapping"));
            return (null, problems);
        }

        var map = new YamlMapReader(root, file, "", problems);
        var manifest = Read(map, Path.GetDirectoryName(Path.GetFullPath(file))!);
        map.RejectUnknownKeys();
        ManifestRules.Check(manifest, map, repositoryRoot);
        return (problems.Count == 0 ? manifest : null, problems);
    }

    private static PackageManifest Read(YamlMapReader map, string directory)
    {
        var package = map.RequiredString("package");
        var architecture = map.RequiredString("architecture");
        return new PackageManifest
        {
            Package = package,
            Section = map.RequiredString("section"),
            Priority = map.RequiredString("priority"),
            Maintainer = map.RequiredString("maintainer"),
            Homepage = map.OptionalString("homepage"),
            Description = map.OptionalMap("description", d => new PackageDescription(d.RequiredString("short"), d.RequiredString("long")))
                ?? Missing(map, "description", new PackageDescription("", "")),
            Architecture = architecture switch
            {
                "per-arch" or "any" => ArchitectureMode.PerArch,
                "all" => ArchitectureMode.All,
                "" => ArchitectureMode.PerArch, // already reported as missing
                _ => Invalid(map, "architecture", $"'architecture' is '{architecture}'; use 'per-arch' (one package per published runtime) or 'all'", ArchitectureMode.PerArch),
            },
            InstallRoot = (map.OptionalString("install-root") ?? $"/usr/lib/{package}").TrimEnd('/'),
            Payload = map.OptionalMap("payload", p => new PayloadSource(p.RequiredString("publish"), p.StringList("exclude"))),
            Binaries = map.MapList("binaries", b => new BinaryLink(b.RequiredString("link"), b.RequiredString("target"))),
            ConfigFiles = map.MapList("config-files", c => new ConfigFileSpec(c.RequiredString("path"), c.RequiredString("template"))),
            Service = map.OptionalMap("service", s => new ServiceSpec(
                s.RequiredString("user"), s.OptionalString("group") ?? s.RequiredString("user"),
                s.OptionalString("home") ?? $"/var/lib/{package}", s.RequiredString("unit"))
            { ExtraUnits = s.StringList("extra-units") }),
            StateDirectories = map.StringList("state-directories"),
            LogDirectory = map.OptionalString("log-directory"),
            Docs = map.MapList("docs", d => new DocFile(d.RequiredString("source"), d.OptionalString("name") ?? Path.GetFileName(d.RequiredString("source")))),
            ManPages = map.StringList("man-pages"),
            Relations = new PackageRelations
            {
                Depends = map.StringList("depends"),
                Recommends = map.StringList("recommends"),
                Suggests = map.StringList("suggests"),
            },
            LintianOverrides = map.MapList("lintian-overrides", o => new LintianOverride(o.RequiredString("tag"), o.RequiredString("reason"))),
            Settings = map.StringMap("settings"),
            TemplateDirectory = directory,
        };
    }

    private static T Missing<T>(YamlMapReader map, string key, T fallback)
    {
        map.Problem(key, $"missing required field '{key}'");
        return fallback;
    }

    private static T Invalid<T>(YamlMapReader map, string key, string message, T fallback)
    {
        map.Problem(key, message);
        return fallback;
    }
}
