using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Push;

/// <summary>
/// Copies a release and its files from one index to another (spec "Push", the QA gateway) in one transaction. Blobs
/// are content-addressed, so a push copies rows, never bytes. Each pushed file keeps its log and gains a <c>push</c>
/// entry (who, when, from, to), shown in the version's <c>+links</c>. Rights are the caller's concern.
/// </summary>
public sealed class ReleasePusher(MetadataDatabase db, BlobStore blobs, ServedFiles served, TimeProvider time, ILogger<ReleasePusher> logger)
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
        using var writer = await db.WriteAsync(ct);
        if (writer.Release(source.User, source.Name, project, version) is not { } release)
        {
            return new Outcome(404, $"{request.Project} {version} is not registered in {source.Path}");
        }
        var files = writer.Files(source.User, source.Name, project)
            .Where(f => f.Version == version)
            .Where(f => request.OnlyDocs ? f.Kind == FileRecord.DocZip : !request.NoDocs || f.Kind != FileRecord.DocZip)
            .ToList();
        if (files.Count == 0)
        {
            return new Outcome(400, $"{request.Project} {version} in {source.Path} has no files to push"
                + (request.OnlyDocs ? " (only_docs: no documentation)" : ""));
        }
        var replaced = new List<FileRecord>();
        foreach (var file in files)
        {
            if (writer.File(target.User, target.Name, file.FileName) is { } existing && existing.Sha256 != file.Sha256)
            {
                if (!target.Volatile)
                {
                    return new Outcome(409, $"{file.FileName} already exists in non-volatile index {target.Path} with different content; "
                        + "nothing was pushed");
                }
                replaced.Add(existing);
            }
        }

        var now = time.GetUtcNow();
        var actions = new JsonArray();
        if (!request.OnlyDocs)
        {
            writer.UpsertRelease(release with { User = target.User, Index = target.Name, Created = now });
            actions.Add(new JsonArray(200, "register", release.DisplayName, version, "->", target.Path));
        }
        else if (writer.Release(target.User, target.Name, project, version) is null)
        {
            writer.UpsertRelease(release with { User = target.User, Index = target.Name, Created = now });
        }
        var copies = new List<FileRecord>();
        foreach (var file in files)
        {
            var log = JsonNode.Parse(file.LogJson) as JsonArray ?? [];
            log.Add(new JsonObject
            {
                ["what"] = "push",
                ["who"] = who,
                ["when"] = new JsonArray(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second),
                ["src"] = source.Path,
                ["dst"] = target.Path,
            });
            var copy = file with { User = target.User, Index = target.Name, Uploaded = now, LogJson = log.ToJsonString() };
            writer.UpsertFile(copy);
            copies.Add(copy);
            actions.Add(new JsonArray(200, file.Kind == FileRecord.DocZip ? "store_doczip" : "store_releasefile", IndexViews.FileUrl(copy)));
        }
        foreach (var file in replaced)
        {
            served.Unlink(file); // gone from nginx's view before the rows replacing it commit
        }
        var serial = writer.Commit();
        foreach (var copy in copies)
        {
            served.Link(writer, copy);
        }
        foreach (var sha in replaced.Select(f => f.Sha256).Where(s => !writer.IsBlobReferenced(s)))
        {
            blobs.Delete(sha);
        }
        logger.LogInformation("{User} pushed {Project} {Version} ({Count} files) from {Source} to {Target}",
            who, project, version, files.Count, source.Path, target.Path);
        return new Outcome(200, "", actions, serial);
    }
}
