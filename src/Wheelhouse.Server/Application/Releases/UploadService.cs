using System.Text.Json.Nodes;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Security;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// The legacy upload API (spec "Upload"): who may upload where, then a form checked against its file and the index's
/// rules and stored as one unit of work (which publishes the blob, commits the rows and links the served name in its
/// crash-safe order).
/// </summary>
public sealed class UploadService(PackageStore store, UsersAndIndexes known, TimeProvider time, ILogger<UploadService> logger)
{
    /// <summary>
    /// The index an upload goes to, when <paramref name="who"/> may upload there (its <c>acl_upload</c>): checked from
    /// the headers, before a possibly large body is read.
    /// </summary>
    public Outcome<IndexEntry> Authorize(Principal who, string user, string index)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return IndexService.Missing(user, index);
        }
        if (entry.IsMirror)
        {
            return new Refusal.NotFound("cannot submit to mirror index");
        }
        var decision = Authorization.CanUpload(entry.IndexPath, entry.Config, who);
        return decision.Allowed
            ? new Outcome<IndexEntry>.Unchanged(entry)
            : new Refusal.Forbidden(decision.Reason ?? $"may not upload to {entry.IndexPath}", decision.NeedsAuthentication);
    }

    /// <summary>Starts the blob an upload's file streams into while its form is read.</summary>
    public PendingBlob NewContent() => store.CreateBlob();

    /// <summary>Registers a release (<c>submit</c>), stores a release file (<c>file_upload</c>) or documentation (<c>doc_upload</c>).</summary>
    /// <returns>Unchanged when the very same file is stored already.</returns>
    public async Task<Outcome<string>> UploadAsync(IndexEntry index, string user, UploadForm form, CancellationToken ct)
    {
        var action = form.Single(":action");
        if (action is null)
        {
            return new Refusal.Invalid("missing ':action' form field (file_upload, submit or doc_upload)");
        }
        if (action is not ("file_upload" or "submit" or "doc_upload"))
        {
            return new Refusal.Invalid($"unsupported ':action' '{UploadForm.Printable(action)}'; use file_upload, submit or doc_upload");
        }
        if (!ProjectName.TryParse(form.Single("name"), out var project, out var nameError))
        {
            return new Refusal.Invalid($"invalid 'name' field: {nameError}");
        }
        if (!Pep440Version.TryParse(form.Single("version"), out var version, out var versionError))
        {
            return new Refusal.Invalid($"invalid 'version' field: {versionError}");
        }
        if (PreReleasePolicy.Check(index.IndexPath, index.Config, version) is { } refusal)
        {
            return new Refusal.Conflict(refusal);
        }
        return action switch
        {
            "submit" => await RegisterAsync(index, user, project, version, FormVerdata(form, project, version), ct),
            "doc_upload" => await StoreDocsAsync(index, user, project, version, form, ct),
            _ => await StoreReleaseFileAsync(index, user, project, version, form, ct),
        };
    }

    private async Task<Outcome<string>> StoreReleaseFileAsync(IndexEntry index, string user, ProjectName project, Pep440Version version, UploadForm form, CancellationToken ct)
    {
        if (form.Content is not { } content || form.ContentFileName is not { } fileName)
        {
            return new Refusal.Invalid("missing 'content' file in the upload");
        }
        if (FileNameProblem(fileName) is { } problem)
        {
            return new Refusal.Invalid(problem);
        }
        if (!DistributionFileName.TryParse(fileName, out var distName, out var fileError))
        {
            return new Refusal.Invalid($"invalid file name '{UploadForm.Printable(fileName)}': {fileError}");
        }
        if (!distName.Matches(project, version))
        {
            return new Refusal.Invalid($"file name {fileName} does not match name {project} and version {version} of the upload");
        }
        var sentSha256 = form.Single("sha256_digest") is { Length: > 0 } sha ? sha : null;
        if (sentSha256 is not null && !sentSha256.Equals(content.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return new Refusal.Invalid($"sha256_digest {UploadForm.Printable(sentSha256)} does not match the uploaded file (sha256 {content.Sha256})");
        }
        // A matching sha256 already proves the content; MD5 is checked only for clients that send nothing stronger.
        if (sentSha256 is null && form.Single("md5_digest") is { Length: > 0 } md5
            && await content.ComputeMd5Async(ct) is var actualMd5 && !md5.Equals(actualMd5, StringComparison.OrdinalIgnoreCase))
        {
            return new Refusal.Invalid($"md5_digest {UploadForm.Printable(md5)} does not match the uploaded file (md5 {actualMd5})");
        }
        if (ReleaseFileMetadata.Read(content.TempPath, distName, out var unreadable) is not { } metadata)
        {
            return new Refusal.Invalid($"{fileName}: {unreadable}");
        }
        if (!metadata.Parsed.Name.Equals(project) || !metadata.Parsed.Version.Equals(version))
        {
            return new Refusal.Invalid($"{fileName}: its metadata names {metadata.Parsed.Name} {metadata.Parsed.Version}, but the upload says {project} {version}");
        }
        return await CommitFileAsync(index, user, project, version, metadata.Verdata, content, fileName, FileKind.ReleaseFile,
            metadata.RequiresPython, metadata.CoreMetadataSha256 is { } metadataSha ? (metadataSha, metadata.CoreMetadata!) : null, ct);
    }

    private async Task<Outcome<string>> StoreDocsAsync(IndexEntry index, string user, ProjectName project, Pep440Version version, UploadForm form, CancellationToken ct)
    {
        if (form.Content is not { } content)
        {
            return new Refusal.Invalid("missing 'content' file in the doc upload");
        }
        var magic = new byte[4];
        await using (var stream = File.OpenRead(content.TempPath))
        {
            if (await stream.ReadAtLeastAsync(magic, 4, throwOnEndOfStream: false, ct) < 4 || magic[0] != 'P' || magic[1] != 'K')
            {
                return new Refusal.Invalid("documentation must be uploaded as a zip file");
            }
        }
        var fileName = $"{project.FileNameEscaped}-{version.Normalized}.doc.zip";
        return await CommitFileAsync(index, user, project, version, null, content, fileName, FileKind.DocZip, "", null, ct);
    }

    private async Task<Outcome<string>> RegisterAsync(IndexEntry index, string user, ProjectName project, Pep440Version version, JsonObject verdata, CancellationToken ct)
    {
        using var work = await store.BeginAsync(ct);
        if (ReleaseFreezePolicy.Check(index.IndexPath, index.Config, project, version, null, () => StoredReleases.Of(work.Rows, index.User, index.Name, project)) is ReleaseFreezePolicy.Decision.Refuse refused)
        {
            return new Refusal.Conflict(refused.Reason);
        }
        PutRelease(work, index, project, version, verdata, work.Rows.Release(index.User, index.Name, project.Normalized, version.Normalized));
        var serial = work.Commit();
        logger.LogInformation("{User} registered {Project} {Version} in {Index}", user, project.Normalized, version.Normalized, index.IndexPath);
        return new Outcome<string>.Changed("", serial);
    }

    private async Task<Outcome<string>> CommitFileAsync(IndexEntry index, string user, ProjectName project, Pep440Version version, JsonObject? verdata,
        PendingBlob content, string fileName, FileKind kind, string requiresPython, (string Sha, byte[] Bytes)? coreMetadata, CancellationToken ct)
    {
        using var work = await store.BeginAsync(ct);
        var existing = work.Rows.File(index.User, index.Name, fileName);
        if (existing is not null && existing.Sha256 == content.Sha256)
        {
            return new Outcome<string>.Unchanged("");
        }
        if (existing is not null && !index.Volatile)
        {
            return new Refusal.Conflict($"{fileName} already exists in non-volatile index");
        }
        var freeze = kind == FileKind.ReleaseFile
            ? ReleaseFreezePolicy.Check(index.IndexPath, index.Config, project, version, content.Sha256, () => StoredReleases.Of(work.Rows, index.User, index.Name, project))
            : new ReleaseFreezePolicy.Decision.Proceed(WriteMetadata: false);
        switch (freeze)
        {
            case ReleaseFreezePolicy.Decision.AlreadyStored:
                return new Outcome<string>.Unchanged("");
            case ReleaseFreezePolicy.Decision.Refuse refused:
                return new Refusal.Conflict(refused.Reason);
        }
        var storedRelease = work.Rows.Release(index.User, index.Name, project.Normalized, version.Normalized);
        if ((verdata is not null && freeze is ReleaseFreezePolicy.Decision.Proceed { WriteMetadata: true }) || storedRelease is null)
        {
            PutRelease(work, index, project, version, verdata ?? Minimal(project, version), storedRelease);
        }
        var now = time.GetUtcNow();
        var file = new FileRecord(index.User, index.Name, fileName, project.Normalized, version.Normalized, kind, content.Sha256,
            content.Length, now, requiresPython, coreMetadata?.Sha, FileLog.Upload(user, now, index.IndexPath.ToString()));
        work.AddFile(file, content, coreMetadata?.Bytes);
        var serial = work.Commit();
        logger.LogInformation("{User} uploaded {File} ({Sha256}, {Size} bytes) to {Index}", user, fileName, content.Sha256, content.Length, index.IndexPath);
        return new Outcome<string>.Changed("", serial);
    }

    /// <param name="stored">The release as stored before, if it was.</param>
    private void PutRelease(UnitOfWork work, IndexEntry index, ProjectName project, Pep440Version version, JsonObject verdata, ReleaseRecord? stored)
    {
        // A yank is no part of the package's metadata (ReleaseYanking): registering the version again keeps it.
        Yanked.Write(verdata, stored is null ? null : Yanked.Read(stored.MetadataJson));
        work.PutRelease(new ReleaseRecord(index.User, index.Name, project.Normalized, version.Normalized, project.Raw,
            verdata.ToJsonString(), time.GetUtcNow()));
    }

    private static JsonObject Minimal(ProjectName project, Pep440Version version) =>
        new() { ["name"] = project.Raw, ["version"] = version.Normalized };

    /// <summary>verdata from the form alone (<c>submit</c>): known metadata keys, repeated fields as lists.</summary>
    private static JsonObject FormVerdata(UploadForm form, ProjectName project, Pep440Version version)
    {
        var result = new JsonObject();
        foreach (var key in VerdataKeys.All)
        {
            var values = form.Fields.GetValueOrDefault(key) ?? [];
            result[key] = VerdataKeys.IsListKey(key)
                ? new JsonArray(values.Where(v => v.Length > 0).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())
                : JsonValue.Create(values.Count > 0 ? values[^1] : "");
        }
        result["name"] = project.Raw;
        result["version"] = version.Normalized;
        return result;
    }

    private static string? FileNameProblem(string fileName)
    {
        if (fileName.Length == 0)
        {
            return "the uploaded file has no file name";
        }
        if (fileName.Contains('/') || fileName.Contains('\\') || fileName.Contains("..", StringComparison.Ordinal) || fileName.Any(char.IsControl))
        {
            return $"file name '{UploadForm.Printable(fileName)}' must not contain path separators, '..' or control characters";
        }
        return null;
    }
}
