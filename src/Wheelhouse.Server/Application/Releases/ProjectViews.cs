using System.Text.Json.Nodes;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// devpi's project and version views (<c>/{u}/{i}/{p}</c>, <c>/{u}/{i}/{p}/{v}</c>) over the whole resolution order,
/// as devpi-server gives them to <c>devpi list</c> and <c>devpi getjson</c>: the stages' stored releases first, then
/// those of each mirror consulted for the project (<c>mirror_whitelist</c>, as on the simple pages). A mirror's
/// versions are those of its upstream page, each with <c>name</c>, <c>version</c>, <c>requires_python</c>, PEP 592
/// <c>yanked</c> and a link per file to the mirror's own URL; a version the mirror stored keeps its full metadata and
/// its files their history. Versions the upstream no longer lists stay while the mirror stores them.
/// </summary>
public sealed class ProjectViews(PackageStore store, UsersAndIndexes known, ReleaseService releases, MirrorPageService pages)
{
    /// <summary>Every version over <paramref name="index"/> (only its own with <paramref name="ignoreBases"/>); the first index holding a version wins.</summary>
    public async Task<Outcome<ReleaseService.ProjectReleases>> ProjectAsync(IndexEntry index, string normalized, bool ignoreBases, CancellationToken ct)
    {
        var stages = index.IsMirror ? null : releases.Project(index, normalized, ignoreBases);
        var found = new List<ReleaseService.ProjectReleases>();
        if (stages is Outcome<ReleaseService.ProjectReleases>.Unchanged { Value: var own })
        {
            found.Add(own);
        }
        string? unavailable = null;
        foreach (var mirror in ignoreBases && !index.IsMirror ? [] : ConsultedMirrors(index, normalized))
        {
            var (mirrored, failure) = await MirrorReleasesAsync(mirror, normalized, ct);
            found.Add(mirrored);
            unavailable ??= failure;
        }
        if (found.Sum(f => f.Releases.Count) == 0)
        {
            return unavailable is not null ? new Refusal.Unavailable(unavailable) : new Refusal.NotFound($"project {normalized} not found in {index.IndexPath}");
        }
        return new Outcome<ReleaseService.ProjectReleases>.Unchanged(
            new ReleaseService.ProjectReleases([.. found.SelectMany(f => f.Releases)], [.. found.SelectMany(f => f.Files)]));
    }

    /// <summary>The first index in the order holding the version (a stage's stored release, else a mirror's), with its files.</summary>
    public async Task<Outcome<ReleaseService.ProjectReleases>> VersionAsync(IndexEntry index, string project, string version, CancellationToken ct)
    {
        var stage = index.IsMirror ? null : releases.Version(index, project, version);
        if (stage is Outcome<ReleaseService.ProjectReleases>.Unchanged)
        {
            return stage;
        }
        var normalized = ProjectName.Normalize(project);
        string? unavailable = null;
        foreach (var mirror in ConsultedMirrors(index, normalized))
        {
            var (mirrored, failure) = await MirrorReleasesAsync(mirror, normalized, ct);
            unavailable ??= failure;
            if (mirrored.Releases.FirstOrDefault(r => ReleaseService.VersionEquals(r.Version, version)) is { } release)
            {
                return new Outcome<ReleaseService.ProjectReleases>.Unchanged(new ReleaseService.ProjectReleases([release], mirrored.Files));
            }
        }
        return unavailable is not null ? new Refusal.Unavailable(unavailable)
            : new Refusal.NotFound($"version {version} of {normalized} not found in {index.IndexPath}");
    }

    /// <summary>The mirrors the simple page of the project would consult, in order (dependency-confusion protection).</summary>
    private List<IndexEntry> ConsultedMirrors(IndexEntry index, string normalized)
    {
        var order = ResolutionOrder.Compute(index.IndexPath, p => known.FindIndex(p)?.Config);
        if (order is null || !order.Any(i => i.IsMirror) || !ProjectName.TryParse(normalized, out var name))
        {
            return [];
        }
        using var reader = store.Read();
        var decision = MirrorWhitelistPolicy.Decide(order, name, p => reader.Releases(p.User.Value, p.Index.Value, normalized).Count > 0);
        return [.. decision.Consult.Where(i => i.IsMirror).Select(i => known.FindIndex(i.Path)).OfType<IndexEntry>()];
    }

    /// <returns>The mirror's releases (none when it has nothing), and why its upstream could not be asked, if so.</returns>
    private async Task<(ReleaseService.ProjectReleases Found, string? Unavailable)> MirrorReleasesAsync(IndexEntry mirror, string normalized, CancellationToken ct)
    {
        var answer = await pages.GetProjectPageAsync(mirror.IndexPath, mirror.Config, ProjectName.Parse(normalized), ct);
        List<ReleaseRecord> stored;
        Dictionary<string, FileRecord> storedFiles;
        using (var reader = store.Read())
        {
            stored = [.. reader.Releases(mirror.User, mirror.Name, normalized)];
            storedFiles = reader.Files(mirror.User, mirror.Name, normalized).ToDictionary(f => f.FileName, StringComparer.Ordinal);
        }
        var releasesFound = new List<ReleaseRecord>();
        var files = new List<FileRecord>();
        if (answer is MirrorPageAnswer.Page page)
        {
            // As on the simple pages: a link without a sha256 has no URL on the mirror.
            var byVersion = page.Value.Links
                .Select(l => (Link: l, Name: l.Sha256 is null ? null : DistributionFileName.TryParse(l.Filename, out var d, out _) ? d : null))
                .Where(l => l.Name is not null)
                .GroupBy(l => l.Name!.Version.Normalized, l => l.Link, StringComparer.Ordinal);
            foreach (var links in byVersion)
            {
                var own = stored.FirstOrDefault(r => r.Version == links.Key);
                releasesFound.Add(Release(mirror, normalized, page.Value.Name, links.Key, own, links.ToList()));
                files.AddRange(links.Select(l => storedFiles.GetValueOrDefault(l.Filename)
                    ?? new FileRecord(mirror.User, mirror.Name, l.Filename, normalized, links.Key, FileKind.ReleaseFile, l.Sha256!, 0,
                        default, l.RequiresPython ?? "", null, "[]")));
            }
        }
        foreach (var release in stored.Where(r => releasesFound.All(f => f.Version != r.Version)))
        {
            releasesFound.Add(release);
            files.AddRange(storedFiles.Values.Where(f => f.Version == release.Version));
        }
        return (new ReleaseService.ProjectReleases(releasesFound, files), (answer as MirrorPageAnswer.Unavailable)?.Message);
    }

    /// <summary>The stored release's metadata, else devpi's for a mirror link (name, version, requires_python); yanked as the upstream says now.</summary>
    private static ReleaseRecord Release(IndexEntry mirror, string normalized, string displayName, string version, ReleaseRecord? stored, List<UpstreamLink> links)
    {
        var metadata = stored is not null && JsonNode.Parse(stored.MetadataJson) is JsonObject parsed ? parsed
            : new JsonObject { ["name"] = displayName, ["version"] = version };
        if (stored is null && links.Select(l => l.RequiresPython).FirstOrDefault(r => !string.IsNullOrEmpty(r)) is { } requiresPython)
        {
            metadata["requires_python"] = requiresPython;
        }
        Yanked.Write(metadata, links.FirstOrDefault(l => l.IsYanked)?.Yanked);
        return new ReleaseRecord(mirror.User, mirror.Name, normalized, version, stored?.DisplayName ?? displayName, metadata.ToJsonString(),
            stored?.Created ?? default);
    }
}
