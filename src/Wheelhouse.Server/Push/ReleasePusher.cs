using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Files;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Push;

/// <summary>
/// Copies a release and its files from one index to another (spec "Push", the QA gateway) in one transaction. Blobs
/// are content-addressed, so a push copies rows, never bytes. Each pushed file keeps its log and gains a <c>push</c>
/// entry (who, when, from, to), shown in the version's <c>+links</c>. Rights are the caller's concern.
/// </summary>
public sealed class ReleasePusher(PackageStore store, TimeProvider time, ILogger<ReleasePusher> logger)
{
    /// <param name="ActionLog">devpi's <c>actionlog</c> result on success.</param>
    public sealed record Outcome(int Status, string Message, JsonArray? ActionLog = null, long? Serial = null);

    public async Task<Outcome> PushAsync(IndexEntry source, IndexEntry target, PushRequest request, string who, CancellationToken ct)
    {
        if (PreReleasePolicy.Check(target.IndexPath, target.Config, request.Version) is { } refusal)
        {
            return new Outcome(409, refusal);
        }
        var project = request.Project.Normalized;
        var version = request.Version.Normalized;
        using var work = await store.BeginAsync(ct);
        if (work.Rows.Release(source.User, source.Name, project, version) is not { } release)
        {
            return new Outcome(404, $"{request.Project} {version} is not registered in {source.Path}");
        }
        var files = work.Rows.Files(source.User, source.Name, project)
            .Where(f => f.Version == version)
            .Where(f => request.OnlyDocs ? f.Kind == FileKind.DocZip : !request.NoDocs || f.Kind != FileKind.DocZip)
            .ToList();
        if (files.Count == 0)
        {
            return new Outcome(400, $"{request.Project} {version} in {source.Path} has no files to push"
                + (request.OnlyDocs ? " (only_docs: no documentation)" : ""));
        }
        foreach (var file in files)
        {
            if (!target.Volatile && work.Rows.File(target.User, target.Name, file.FileName) is { } existing && existing.Sha256 != file.Sha256)
            {
                return new Outcome(409, $"{file.FileName} already exists in non-volatile index {target.Path} with different content; "
                    + "nothing was pushed");
            }
        }

        var now = time.GetUtcNow();
        var actions = new JsonArray();
        if (!request.OnlyDocs)
        {
            work.PutRelease(release with { User = target.User, Index = target.Name, Created = now });
            actions.Add(new JsonArray(200, "register", release.DisplayName, version, "->", target.Path));
        }
        else if (work.Rows.Release(target.User, target.Name, project, version) is null)
        {
            work.PutRelease(release with { User = target.User, Index = target.Name, Created = now });
        }
        foreach (var file in files)
        {
            var copy = file with { User = target.User, Index = target.Name, Uploaded = now, LogJson = FileLog.Pushed(file.LogJson, who, now, source.Path, target.Path) };
            work.AddFile(copy); // content-addressed: the blob is already stored
            actions.Add(new JsonArray(200, file.Kind == FileKind.DocZip ? "store_doczip" : "store_releasefile", IndexViews.FileUrl(copy)));
        }
        var serial = work.Commit();
        logger.LogInformation("{User} pushed {Project} {Version} ({Count} files) from {Source} to {Target}",
            who, project, version, files.Count, source.Path, target.Path);
        return new Outcome(200, "", actions, serial);
    }
}
