using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Security;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// Releases and their files as stored (spec "Endpoints": project and version views, release files, deletion). Reading
/// a file is served by its row only, so an unreferenced blob never is; deleting is one unit of work each.
/// </summary>
public sealed class ReleaseService(PackageStore store, UsersAndIndexes known)
{
    public const string MetadataSuffix = ".metadata";

    /// <summary>What to do about files whose content left the data directory, for the answers that meet one.</summary>
    public const string LostContentRemedy = "'wheelhouse-server check' lists every such file, 'wheelhouse-server restore' brings them back from a backup";

    /// <summary>A stored file to send; <see cref="CoreMetadata"/> is set when the PEP 658 <c>.metadata</c> was asked for.</summary>
    public sealed record StoredFile(FileRecord File, byte[]? CoreMetadata);

    /// <summary>The releases of a project over the stages of an index's resolution order, with their files.</summary>
    public sealed record ProjectReleases(IReadOnlyList<ReleaseRecord> Releases, IReadOnlyList<FileRecord> Files);

    /// <summary>
    /// The file <c>{prefix}/{fileName}</c> of an index (or its core metadata, for <c>{fileName}.metadata</c>); relinks
    /// its served name when missing, since a web server in front asked only because the name was not there.
    /// </summary>
    /// <param name="shaPrefix">The first 16 hex digits of its sha256, as in the URL.</param>
    public async Task<Outcome<StoredFile>> FindFileAsync(string user, string index, string shaPrefix, string fileName, CancellationToken ct)
    {
        FileRecord? file;
        byte[]? metadata = null;
        using (var reader = store.Read())
        {
            file = reader.File(user, index, fileName);
            if (file is null && fileName.EndsWith(MetadataSuffix, StringComparison.Ordinal))
            {
                file = reader.File(user, index, fileName[..^MetadataSuffix.Length]);
                metadata = file?.MetadataSha256 is { } m ? reader.CoreMetadata(m) : null;
                if (metadata is null)
                {
                    file = null;
                }
            }
        }
        if (file is null || shaPrefix.Length != 16 || !file.Sha256.StartsWith(shaPrefix, StringComparison.Ordinal))
        {
            return new Refusal.NotFound($"no file {fileName} in {user}/{index}");
        }
        await store.RelinkIfMissingAsync(file, ct);
        return new Outcome<StoredFile>.Unchanged(new StoredFile(file, metadata));
    }

    /// <summary>Where the file's content is, for sending it; null when its blob is missing (a damaged store).</summary>
    public string? ContentPath(FileRecord file) => store.ContentPath(file);

    public async Task<Outcome<string>> DeleteFileAsync(Principal who, string user, string index, string shaPrefix, string fileName, bool force, CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return IndexService.Missing(user, index);
        }
        if (Authorization.Check(who, new Permission.DeleteReleaseFiles(entry.IndexPath, entry.Config, force)) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        using var work = await store.BeginAsync(ct);
        var file = work.Rows.File(user, index, fileName);
        if (file is null || !file.Sha256.StartsWith(shaPrefix, StringComparison.Ordinal))
        {
            return new Refusal.NotFound($"no file {fileName} in {entry.IndexPath}");
        }
        work.RemoveFile(file);
        // Its test results go with it, as in devpi: they describe a file that is no longer there.
        var results = file.Kind == FileKind.ReleaseFile ? ToxResults.For(file, work.Rows.Files(user, index, file.Project)).ToList() : [];
        results.ForEach(work.RemoveFile);
        var also = results.Count == 0 ? "" : $" and its {results.Count} test result(s)";
        return new Outcome<string>.Changed($"deleted {fileName}{also} from {entry.IndexPath}", work.Commit());
    }

    /// <summary>Deletes one version of a project (or, with a null <paramref name="version"/>, all of them) with their files.</summary>
    public async Task<Outcome<string>> DeleteReleasesAsync(Principal who, string user, string index, string project, string? version, bool force, CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return IndexService.Missing(user, index);
        }
        var what = version is null ? $"project {project}" : $"{project} {version}";
        if (Authorization.Check(who, new Permission.DeleteReleaseFiles(entry.IndexPath, entry.Config, force)) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        var normalized = ProjectName.Normalize(project);
        using var work = await store.BeginAsync(ct);
        var releases = work.Rows.Releases(user, index, normalized).Where(r => version is null || VersionEquals(r.Version, version)).ToList();
        if (releases.Count == 0)
        {
            return new Refusal.NotFound($"{what} not found in {entry.IndexPath}");
        }
        foreach (var release in releases)
        {
            work.RemoveRelease(user, index, normalized, release.Version);
        }
        return new Outcome<string>.Changed($"deleted {what} from {entry.IndexPath}", work.Commit());
    }

    /// <summary>A project's releases over <paramref name="index"/>'s stages (only its own with <paramref name="ignoreBases"/>).</summary>
    public Outcome<ProjectReleases> Project(IndexEntry index, string normalizedProject, bool ignoreBases)
    {
        var order = ignoreBases ? [index] : known.ResolutionOrderOf(index).Where(i => !i.IsMirror).ToList();
        using var reader = store.Read();
        var releases = new List<ReleaseRecord>();
        var files = new List<FileRecord>();
        foreach (var stage in order)
        {
            releases.AddRange(reader.Releases(stage.User, stage.Name, normalizedProject));
            files.AddRange(reader.Files(stage.User, stage.Name, normalizedProject));
        }
        return releases.Count == 0
            ? new Refusal.NotFound($"project {normalizedProject} not found in {index.IndexPath}")
            : new Outcome<ProjectReleases>.Unchanged(new ProjectReleases(releases, files));
    }

    /// <summary>The first stage in <paramref name="index"/>'s order holding the version, with that stage's files of the project.</summary>
    public Outcome<ProjectReleases> Version(IndexEntry index, string project, string version)
    {
        var normalized = ProjectName.Normalize(project);
        using var reader = store.Read();
        foreach (var stage in known.ResolutionOrderOf(index).Where(i => !i.IsMirror))
        {
            if (reader.Releases(stage.User, stage.Name, normalized).FirstOrDefault(r => VersionEquals(r.Version, version)) is { } release)
            {
                return new Outcome<ProjectReleases>.Unchanged(new ProjectReleases([release], reader.Files(stage.User, stage.Name, normalized)));
            }
        }
        return new Refusal.NotFound($"version {version} of {normalized} not found in {index.IndexPath}");
    }

    /// <summary>A stored (normalized) version matches the one asked for as written or normalized.</summary>
    internal static bool VersionEquals(string stored, string requested) =>
        stored == requested || (Pep440Version.TryParse(requested, out var v) && v.Normalized == stored);
}
