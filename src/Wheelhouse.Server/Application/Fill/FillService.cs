using Wheelhouse.Core;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Security;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Mirrors;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Fill;

/// <summary>
/// The server's half of <c>wheelhouse-server fill</c>: copies the files pip downloaded through an index (normally a
/// mirror, which stored them as it served them) into the target index, as one unit of work: all the files of a fill or
/// none. Each file must be stored in the source with the very sha256 the client computed from what pip downloaded;
/// a copy keeps the source's file log and gains a <c>fill</c> entry (who, when, from, to), shaped like push's. Blobs
/// are content-addressed, so this copies rows, never bytes. A filled release carries the file's own core metadata (the
/// mirror read it when it stored the file; for files a mirror stored before it did, it is read here), so its JSON
/// views, web pages and PEP 658 <c>.metadata</c> are those of an uploaded release. Files the target already holds with the same content are
/// left alone, so a second fill of the same requirements changes nothing. Needs upload rights on the target.
/// </summary>
public sealed class FillService(
    PackageStore store, UsersAndIndexes known, MirrorFileFetcher fetcher, MirrorFileCommits commits, FillPrefetch prefetch, TimeProvider time,
    ILogger<FillService> logger)
{
    /// <summary>What a fill did (or, for a dry run, would do).</summary>
    /// <param name="Copied">The files copied into the target (or that would be).</param>
    /// <param name="Present">The names already in the target with the same content.</param>
    /// <param name="Prefetching">How many projects' pinned files the mirror started fetching ahead of pip.</param>
    public sealed record Receipt(IndexEntry Source, IndexEntry Target, IReadOnlyList<FileRecord> Copied, IReadOnlyList<string> Present, bool DryRun,
        int Prefetching = 0);

    public async Task<Outcome<Receipt>> FillAsync(Principal who, string user, string index, Validated<FillRequest> request, CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } target)
        {
            return IndexService.Missing(user, index);
        }
        if (target.IsMirror)
        {
            return new Refusal.Invalid($"cannot fill mirror index {target.IndexPath}: a mirror holds what its upstream has; fill a stage index that has it as a base");
        }
        if (!Authorization.CanUpload(target.IndexPath, target.Config, who).Allowed || who.User is not { } filler)
        {
            return new Refusal.Forbidden(who.IsAuthenticated
                ? $"user {who} may not upload to {target.IndexPath}, so may not fill it"
                : $"authentication required to fill {target.IndexPath}", NeedsAuthentication: !who.IsAuthenticated);
        }
        if (!request.IsValid(out var fill, out var invalid))
        {
            return new Refusal.Invalid(invalid.Problems);
        }
        if (known.FindIndex(fill.From) is not { } source)
        {
            return new Refusal.Invalid($"source index {fill.From} does not exist");
        }
        if (source.IndexPath == target.IndexPath)
        {
            return new Refusal.Invalid($"cannot fill {target.IndexPath} from itself; name the mirror the files were downloaded through");
        }
        var prefetching = 0;
        if (fill.Prefetch is { Projects.Count: > 0 } ahead && source.IsMirror)
        {
            prefetch.Start(source, ahead);
            prefetching = ahead.Projects.Count;
        }
        await AwaitMirrorCommitsAsync(source, fill, ct);
        return await CopyAsync(source, target, fill, filler.Value, prefetching, ct);
    }

    /// <summary>
    /// A mirror ends its answer to pip once the file is hash-checked and sent, then makes it durable and commits it:
    /// while downloads are in flight and a named file is not stored yet, wait a little (bounded, 10 s) rather than
    /// refuse the fill.
    /// </summary>
    private async Task AwaitMirrorCommitsAsync(IndexEntry source, FillRequest fill, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 2000 && fetcher.InFlight > 0; attempt++)
        {
            commits.Hurry();
            using (var reader = store.Read())
            {
                if (fill.Files.All(f => reader.File(source.User, source.Name, f.FileName) is not null))
                {
                    return;
                }
            }
            await Task.Delay(5, ct);
        }
    }

    private async Task<Outcome<Receipt>> CopyAsync(IndexEntry source, IndexEntry target, FillRequest fill, string who, int prefetching, CancellationToken ct)
    {
        using var work = await store.BeginAsync(ct);
        var problems = new List<string>();
        var conflict = false; // the request is fine but contradicts what is stored
        var copies = new List<(FileRecord File, byte[]? CoreMetadata)>();
        var present = new List<string>();
        var now = time.GetUtcNow();
        var releases = new Dictionary<(string Project, string Version), ReleaseRecord>();
        foreach (var file in fill.Files.OrderBy(f => f.FileName, StringComparer.Ordinal))
        {
            if (work.Rows.File(source.User, source.Name, file.FileName) is not { Kind: FileKind.ReleaseFile } stored)
            {
                problems.Add($"{file.FileName} is not stored in {source.IndexPath}: was it downloaded through another index?");
                continue;
            }
            if (stored.Sha256 != file.Sha256)
            {
                conflict = true;
                problems.Add($"{file.FileName} was downloaded with sha256 {file.Sha256}, but {source.IndexPath} stored it with sha256 {stored.Sha256}");
                continue;
            }
            if (work.Rows.File(target.User, target.Name, file.FileName) is { } existing)
            {
                if (existing.Sha256 == stored.Sha256)
                {
                    present.Add(file.FileName);
                    continue;
                }
                if (!target.Volatile)
                {
                    conflict = true;
                    problems.Add($"{file.FileName} already exists in non-volatile index {target.IndexPath} with other content (sha256 {existing.Sha256})");
                    continue;
                }
            }
            if (Refuse(work.Rows, target, stored) is { } refusal)
            {
                conflict = true;
                problems.Add(refusal);
                continue;
            }
            // Stored by a version that kept a mirror's minimal metadata only: the file's own is read now.
            var metadata = stored.MetadataSha256 is null ? MetadataOf(stored) : null;
            var key = (stored.Project, stored.Version);
            var sourceRelease = work.Rows.Release(source.User, source.Name, stored.Project, stored.Version);
            var targetRelease = releases.GetValueOrDefault(key) ?? work.Rows.Release(target.User, target.Name, stored.Project, stored.Version);
            if (targetRelease is null && sourceRelease is not null)
            {
                targetRelease = releases[key] = sourceRelease with { User = target.User, Index = target.Name, Created = now };
            }
            if (targetRelease is not null && metadata is not null && ReleaseFileMetadata.IsMinimal(targetRelease.MetadataJson))
            {
                releases[key] = targetRelease with { MetadataJson = metadata.Verdata.ToJsonString() };
            }
            copies.Add((stored with
            {
                User = target.User,
                Index = target.Name,
                Uploaded = now,
                RequiresPython = stored.RequiresPython.Length > 0 ? stored.RequiresPython : metadata?.RequiresPython ?? "",
                MetadataSha256 = stored.MetadataSha256 ?? metadata?.CoreMetadataSha256,
                LogJson = FileLog.Filled(stored.LogJson, who, now, source.IndexPath.ToString(), target.IndexPath.ToString()),
            }, metadata?.CoreMetadata));
        }
        if (problems.Count > 0)
        {
            problems.Add($"nothing was filled into {target.IndexPath}");
            return conflict
                ? new Refusal.Conflict(string.Join("; ", problems))
                : new Refusal.Invalid(problems);
        }
        var receipt = new Receipt(source, target, copies.Select(c => c.File).ToList(), present, fill.DryRun, prefetching);
        if (fill.DryRun || copies.Count == 0)
        {
            return new Outcome<Receipt>.Unchanged(receipt);
        }
        foreach (var release in releases.Values)
        {
            work.PutRelease(release);
        }
        foreach (var (copy, coreMetadata) in copies)
        {
            work.AddFile(copy, coreMetadata: coreMetadata); // content-addressed: the source's blob serves the copy
        }
        var serial = work.Commit();
        logger.LogInformation("{User} filled {Count} files into {Target} from {Source} ({Present} already there)",
            who, copies.Count, target.IndexPath, source.IndexPath, present.Count);
        return new Outcome<Receipt>.Changed(receipt, serial);
    }

    private ReleaseFileMetadata? MetadataOf(FileRecord file) =>
        store.ContentPath(file) is { } path && DistributionFileName.TryParse(file.FileName, out var name, out _)
            ? ReleaseFileMetadata.Read(path, name, out _)
            : null;

    /// <summary>The target's own rules for a new release file: pre-releases, and a non-volatile index's frozen versions.</summary>
    private static string? Refuse(IMetadataReader rows, IndexEntry target, FileRecord file)
    {
        if (!ProjectName.TryParse(file.Project, out var project) || !Pep440Version.TryParse(file.Version, out var version))
        {
            return $"{file.FileName}: its project or version ({file.Project} {file.Version}) is not valid";
        }
        if (PreReleasePolicy.Check(target.IndexPath, target.Config, version) is { } preRelease)
        {
            return preRelease;
        }
        return ReleaseFreezePolicy.Check(target.IndexPath, target.Config, project, version, file.Sha256,
                () => StoredReleases.Of(rows, target.User, target.Name, project)) is ReleaseFreezePolicy.Decision.Refuse refused
            ? refused.Reason
            : null;
    }
}
