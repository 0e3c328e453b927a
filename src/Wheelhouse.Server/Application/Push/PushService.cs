using Wheelhouse.Core;
using Wheelhouse.Core.Security;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Push;

/// <summary>
/// Copies a release and its files from one index to another (spec "Push", the QA gateway) as one unit of work. Blobs
/// are content-addressed, so a push copies rows, never bytes. Each pushed file keeps its log and gains a <c>push</c>
/// entry (who, when, from, to), shown in the version's <c>+links</c>. Needs read on the source (everyone may read) and
/// upload on the target; without that right the refusal asks for authentication, as devpi's 401 does.
/// </summary>
public sealed class PushService(PackageStore store, UsersAndIndexes known, TimeProvider time, ILogger<PushService> logger)
{
    /// <summary>What a push did: the release registered in the target (unless only docs were pushed) and the copied files.</summary>
    public sealed record Receipt(ReleaseRecord Release, bool Registered, IndexEntry Target, IReadOnlyList<FileRecord> Copies);

    /// <param name="request">The push as parsed from its body, or every problem with it.</param>
    public async Task<Outcome<Receipt>> PushAsync(Principal who, string user, string index, Validated<PushRequest> request, CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } source)
        {
            return IndexService.Missing(user, index);
        }
        if (!request.IsValid(out var push, out var invalid))
        {
            return new Refusal.Invalid(invalid.Problems);
        }
        if (known.FindIndex(push.Target) is not { } target)
        {
            return new Refusal.Invalid($"target index {push.Target} does not exist");
        }
        if (target.IsMirror)
        {
            return new Refusal.Invalid($"cannot push to mirror index {target.IndexPath}");
        }
        if (!Authorization.CanUpload(target.IndexPath, target.Config, who).Allowed || who.User is not { } pusher)
        {
            return new Refusal.Forbidden(who.IsAuthenticated
                ? $"user {who} may not upload to {target.IndexPath}, so may not push into it"
                : $"authentication required to push into {target.IndexPath}", NeedsAuthentication: true);
        }
        if (PreReleasePolicy.Check(target.IndexPath, target.Config, push.Version) is { } refusal)
        {
            return new Refusal.Conflict(refusal);
        }
        return await CopyAsync(source, target, push, pusher.Value, ct);
    }

    private async Task<Outcome<Receipt>> CopyAsync(IndexEntry source, IndexEntry target, PushRequest request, string who, CancellationToken ct)
    {
        var project = request.Project.Normalized;
        var version = request.Version.Normalized;
        using var work = await store.BeginAsync(ct);
        if (work.Rows.Release(source.User, source.Name, project, version) is not { } release)
        {
            return new Refusal.NotFound($"{request.Project} {version} is not registered in {source.IndexPath}");
        }
        var files = work.Rows.Files(source.User, source.Name, project)
            .Where(f => f.Version == version)
            .Where(f => request.OnlyDocs ? f.Kind == FileKind.DocZip : !request.NoDocs || f.Kind != FileKind.DocZip)
            .ToList();
        if (files.Count == 0)
        {
            return new Refusal.Invalid($"{request.Project} {version} in {source.IndexPath} has no files to push"
                + (request.OnlyDocs ? " (only_docs: no documentation)" : ""));
        }
        foreach (var file in files)
        {
            if (!target.Volatile && work.Rows.File(target.User, target.Name, file.FileName) is { } existing && existing.Sha256 != file.Sha256)
            {
                return new Refusal.Conflict($"{file.FileName} already exists in non-volatile index {target.IndexPath} with different content; "
                    + "nothing was pushed");
            }
        }
        var firstReleaseFile = files.FirstOrDefault(f => f.Kind == FileKind.ReleaseFile);
        var freeze = request.OnlyDocs || firstReleaseFile is null
            ? new ReleaseFreezePolicy.Decision.Proceed(WriteMetadata: true)
            : ReleaseFreezePolicy.Check(target.IndexPath, target.Config, request.Project, request.Version, firstReleaseFile.Sha256,
                () => StoredReleases.Of(work.Rows, target.User, target.Name, request.Project));
        switch (freeze)
        {
            case ReleaseFreezePolicy.Decision.Refuse refused:
                return new Refusal.Conflict(refused.Reason + "; nothing was pushed");
            case ReleaseFreezePolicy.Decision.AlreadyStored:
                return new Refusal.Conflict($"{request.Project} {version} is already in non-volatile index {target.IndexPath} under a version "
                    + "spelled differently but equal by PEP 440; nothing was pushed");
        }
        var now = time.GetUtcNow();
        if ((!request.OnlyDocs && freeze is ReleaseFreezePolicy.Decision.Proceed { WriteMetadata: true })
            || work.Rows.Release(target.User, target.Name, project, version) is null)
        {
            work.PutRelease(release with { User = target.User, Index = target.Name, Created = now });
        }
        var copies = new List<FileRecord>();
        foreach (var file in files)
        {
            var log = FileLog.Pushed(file.LogJson, who, now, source.IndexPath.ToString(), target.IndexPath.ToString());
            var copy = file with { User = target.User, Index = target.Name, Uploaded = now, LogJson = log };
            work.AddFile(copy); // content-addressed: the blob is stored already
            copies.Add(copy);
        }
        var serial = work.Commit();
        logger.LogInformation("{User} pushed {Project} {Version} ({Count} files) from {Source} to {Target}",
            who, project, version, files.Count, source.IndexPath, target.IndexPath);
        return new Outcome<Receipt>.Changed(new Receipt(release, !request.OnlyDocs, target, copies), serial);
    }
}
