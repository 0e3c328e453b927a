namespace Wheelhouse.Packaging.Manifests;

/// <summary>
/// The facts of one .deb, read from <c>debian-templates/&lt;package&gt;/manifest.yaml</c>.
/// Everything package-specific lives here or in the templates beside it, so a new package needs no code.
/// </summary>
public sealed record PackageManifest
{
    public required string Package { get; init; }
    public required string Section { get; init; }
    public required string Priority { get; init; }
    public required string Maintainer { get; init; }
    public string? Homepage { get; init; }
    public required PackageDescription Description { get; init; }
    public required ArchitectureMode Architecture { get; init; }

    /// <summary>The directory that owns the whole payload, e.g. /usr/lib/wheelhouse-server or /opt/venvs/wheelhouse-server.</summary>
    public required string InstallRoot { get; init; }

    public PayloadSource? Payload { get; init; }
    public IReadOnlyList<BinaryLink> Binaries { get; init; } = [];
    public IReadOnlyList<ConfigFileSpec> ConfigFiles { get; init; } = [];
    public ServiceSpec? Service { get; init; }
    public IReadOnlyList<string> StateDirectories { get; init; } = [];
    public string? LogDirectory { get; init; }
    public IReadOnlyList<DocFile> Docs { get; init; } = [];

    /// <summary>Manual pages rendered from templates named like the page (e.g. wheelhouse-server.1), installed gzipped.</summary>
    public IReadOnlyList<string> ManPages { get; init; } = [];
    public PackageRelations Relations { get; init; } = new();
    public IReadOnlyList<LintianOverride> LintianOverrides { get; init; } = [];

    /// <summary>Free values the templates of this package may use (ports, hosts, sizes); undefined names still fail rendering.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The folder holding the manifest and its templates.</summary>
    public required string TemplateDirectory { get; init; }
}

public sealed record PackageDescription(string Short, string Long);

public enum ArchitectureMode
{
    /// <summary>One package per Debian architecture, from that architecture's publish output.</summary>
    PerArch,

    /// <summary>One architecture-independent package (Architecture: all).</summary>
    All,
}

/// <summary>Which published project feeds the install root, and which of its files are left out.</summary>
public sealed record PayloadSource(string Publish, IReadOnlyList<string> Exclude);

/// <summary>A relative symlink <see cref="Link"/> (absolute, e.g. /usr/bin/x) to <see cref="Target"/> under the install root.</summary>
public sealed record BinaryLink(string Link, string Target);

/// <summary>A conffile rendered from <see cref="Template"/> and installed at <see cref="Path"/>.</summary>
public sealed record ConfigFileSpec(string Path, string Template);

/// <summary>The system account and systemd unit of a package that runs a daemon.</summary>
public sealed record ServiceSpec(string User, string Group, string Home, string Unit)
{
    /// <summary>More units (a .service and its .timer), installed but neither enabled nor started: the admin enables them.</summary>
    public IReadOnlyList<string> ExtraUnits { get; init; } = [];
}

/// <summary>A document shipped in /usr/share/doc/&lt;package&gt;/; <see cref="Source"/> is relative to the repository root.</summary>
public sealed record DocFile(string Source, string Name);

public sealed record PackageRelations
{
    public IReadOnlyList<string> Depends { get; init; } = [];
    public IReadOnlyList<string> Recommends { get; init; } = [];
    public IReadOnlyList<string> Suggests { get; init; } = [];
}

/// <summary>One lintian override line; the reason is written above it as a comment, as lintian's manual asks.</summary>
public sealed record LintianOverride(string Tag, string Reason);
