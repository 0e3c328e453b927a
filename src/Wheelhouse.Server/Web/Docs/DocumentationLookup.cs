using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Web.Docs;

/// <summary>
/// Which documentation zip a <c>+doc</c> URL means, through <see cref="ReleaseService"/>'s view of the index and its
/// bases: the version's own (the first stage holding the version), or with devpi-web's <c>latest</c> and
/// <c>stable</c> the newest version (stable: no pre-release) that has documentation.
/// </summary>
public sealed class DocumentationLookup(ReleaseService releases)
{
    public const string Latest = "latest";
    public const string Stable = "stable";

    /// <summary>The doc zip, or why there is none (a sentence for a 404 page).</summary>
    public Outcome<FileRecord> Find(IndexEntry index, string project, string version)
    {
        if (version is Latest or Stable)
        {
            return Newest(index, ProjectName.Normalize(project), stableOnly: version == Stable);
        }
        return releases.Version(index, project, version) switch
        {
            Outcome<ReleaseService.ProjectReleases>.Refused refused => refused.Refusal,
            Outcome<ReleaseService.ProjectReleases>.Unchanged { Value: var found }
                when DocZipOf(found.Files, found.Releases[0].Version) is { } zip => new Outcome<FileRecord>.Unchanged(zip),
            _ => new Refusal.NotFound($"{project} {version} in {index.IndexPath} has no documentation"),
        };
    }

    /// <summary>The documentation zip among a release's files, if it has one.</summary>
    public static FileRecord? DocZipOf(IEnumerable<FileRecord> files, string normalizedVersion) =>
        files.FirstOrDefault(f => f.Kind == FileKind.DocZip && f.Version == normalizedVersion);

    private Outcome<FileRecord> Newest(IndexEntry index, string project, bool stableOnly)
    {
        if (releases.Project(index, project, ignoreBases: false) is not Outcome<ReleaseService.ProjectReleases>.Unchanged { Value: var found })
        {
            return new Refusal.NotFound($"project {project} not found in {index.IndexPath}");
        }
        // Stages come in resolution order, so the first zip of a version is the one the index shows.
        var zips = found.Files.Where(f => f.Kind == FileKind.DocZip)
            .Select(f => (File: f, Version: Pep440Version.TryParse(f.Version, out var v) ? v : null))
            .Where(z => z.Version is not null && !(stableOnly && z.Version.IsPreRelease))
            .OrderByDescending(z => z.Version)
            .Select(z => z.File)
            .FirstOrDefault();
        return zips is null
            ? new Refusal.NotFound($"no {(stableOnly ? "stable " : "")}documentation of {project} in {index.IndexPath}")
            : new Outcome<FileRecord>.Unchanged(zips);
    }
}
