using System.Text.Json.Nodes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// Yanking a release of a stage index (PEP 592): its files stay and keep their URLs, but the simple pages mark them
/// so that pip and uv pass over them unless the version is pinned with <c>==</c>. This is how a broken release leaves a
/// non-volatile index, whose releases cannot be deleted; it works the same on a volatile one. Undone by unyanking.
/// Allowed to whoever may upload to the index; a mirror's marks are its upstream's.
/// </summary>
public sealed class ReleaseYanking(PackageStore store, UsersAndIndexes known, ILogger<ReleaseYanking> logger)
{
    /// <summary>Why a mirror's release cannot be yanked here.</summary>
    public static string MirrorRefusal(IndexEntry mirror) => $"{mirror.IndexPath} is a mirror: its releases are yanked where its upstream yanks them";

    /// <param name="reason">Null to unyank; "" to yank without a reason.</param>
    /// <returns>The change's message, or why nothing changed.</returns>
    public async Task<Outcome<string>> SetAsync(Principal who, string user, string index, string project, string version, string? reason, CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return IndexService.Missing(user, index);
        }
        if (entry.IsMirror)
        {
            return new Refusal.Conflict(MirrorRefusal(entry));
        }
        if (reason is { Length: > Yanked.MaxReasonLength })
        {
            return new Refusal.Invalid($"the reason is {reason.Length} characters long; give at most {Yanked.MaxReasonLength}");
        }
        if (Authorization.Check(who, new Permission.YankRelease(entry.IndexPath, entry.Config)) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        var normalized = ProjectName.Normalize(project);
        using var work = await store.BeginAsync(ct);
        if (work.Rows.Releases(user, index, normalized).FirstOrDefault(r => ReleaseService.VersionEquals(r.Version, version)) is not { } release)
        {
            return new Refusal.NotFound($"{normalized} {version} not found in {entry.IndexPath}");
        }
        var metadata = JsonNode.Parse(release.MetadataJson) as JsonObject ?? [];
        var what = $"{normalized} {release.Version} in {entry.IndexPath}";
        if (Yanked.Read(metadata) == reason)
        {
            return new Outcome<string>.Unchanged(reason is null ? $"{what} is not yanked" : $"{what} is already yanked with that reason");
        }
        Yanked.Write(metadata, reason);
        work.PutRelease(release with { MetadataJson = metadata.ToJsonString() });
        var serial = work.Commit();
        logger.LogInformation("{User} {Action} {Project} {Version} in {Index}", who, reason is null ? "unyanked" : "yanked", normalized, release.Version, entry.IndexPath);
        return new Outcome<string>.Changed(reason is null ? $"{what} is no longer yanked" : $"yanked {what}", serial);
    }
}
