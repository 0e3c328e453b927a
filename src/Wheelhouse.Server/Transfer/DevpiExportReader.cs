using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Core;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Auth;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// Reads a devpi export directory and checks all of it before anything is written: the dump version, every user and
/// index name, every index config, every release's version, every file's presence inside the directory. Every
/// problem is reported at once. What devpi's own import adapts is adapted the same way (a renamed
/// <c>pypi_whitelist</c>, a mirror's old <c>bases</c>, an empty <c>uploadtrigger_jenkins</c>, a missing <c>created</c>).
/// </summary>
public static class DevpiExportReader
{
    public static Validated<DevpiExport> Read(string directory)
    {
        var problems = new List<string>();
        var root = Path.GetFullPath(directory);
        var dataIndex = Path.Combine(root, DevpiExport.DataIndexFileName);
        if (!File.Exists(dataIndex))
        {
            return Invalid($"{dataIndex} does not exist: give the directory devpi-export (or wheelhouse-server export) wrote");
        }
        JsonObject json;
        try
        {
            using var stream = File.OpenRead(dataIndex);
            json = JsonNode.Parse(stream) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            return Invalid($"{dataIndex} is not valid JSON: {e.Message}");
        }
        var dumpVersion = json["dumpversion"]?.ToString();
        if (dumpVersion != DevpiExport.DumpVersion)
        {
            return Invalid($"{dataIndex}: dumpversion {dumpVersion ?? "(missing)"} is not supported; export with devpi-server 4 or later (dumpversion 2)");
        }
        var users = ReadUsers(json["users"] as JsonObject, problems);
        var indexes = new List<ExportedIndex>();
        foreach (var (name, node) in json["indexes"] as JsonObject ?? [])
        {
            if (ReadIndex(root, name, node as JsonObject, problems) is { } index)
            {
                indexes.Add(index);
            }
        }
        foreach (var index in indexes.Where(i => users.All(u => u.Name != i.Path.User.Value)))
        {
            problems.Add($"index {index.Path}: its user is not in the export");
        }
        return problems.Count == 0
            ? new Validated<DevpiExport>.Valid(new DevpiExport(root, users, indexes))
            : new Validated<DevpiExport>.Invalid(problems);
    }

    private static Validated<DevpiExport> Invalid(string problem) => new Validated<DevpiExport>.Invalid([problem]);

    private static List<ExportedUser> ReadUsers(JsonObject? users, List<string> problems)
    {
        var result = new List<ExportedUser>();
        foreach (var (name, node) in users ?? [])
        {
            if (!UserName.TryParse(name, out _, out var error))
            {
                problems.Add($"user '{name}': {error}");
                continue;
            }
            var config = node as JsonObject ?? [];
            var hash = Text(config, "pwhash") is { Length: > 0 } pwhash
                ? Text(config, "pwsalt") is { Length: > 0 } salt ? DevpiPasswordHashes.SaltedSha256(salt, pwhash) : pwhash
                : null;
            if (hash is not null && !DevpiPasswordHashes.IsWellFormed(hash) && !hash.StartsWith("pbkdf2-sha256$", StringComparison.Ordinal))
            {
                problems.Add($"user '{name}': its password hash is in a form this server cannot verify (argon2id as devpi 6 writes it, devpi's older salted SHA-256 or this server's pbkdf2-sha256)");
                continue;
            }
            var created = Text(config, "created") is { } c
                && DateTimeOffset.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed : DateTimeOffset.UnixEpoch;
            result.Add(new ExportedUser(name, hash, Text(config, "email") ?? "", Text(config, "title") ?? "", Text(config, "description") ?? "", created));
        }
        return result;
    }

    private static ExportedIndex? ReadIndex(string root, string name, JsonObject? node, List<string> problems)
    {
        if (!IndexPath.TryParse(name, out var path, out var pathError) || name.Trim('/') != name)
        {
            problems.Add($"index '{name}': {pathError ?? "expected user/index"}");
            return null;
        }
        if (node?["indexconfig"] is not JsonObject raw)
        {
            problems.Add($"index {path}: no indexconfig");
            return null;
        }
        var config = (JsonObject)raw.DeepClone();
        if (config["pypi_whitelist"] is { } oldWhitelist)
        {
            config.Remove("pypi_whitelist");
            config["mirror_whitelist"] ??= oldWhitelist;
        }
        if (config["uploadtrigger_jenkins"] is JsonValue trigger && string.IsNullOrEmpty(trigger.ToString()))
        {
            config.Remove("uploadtrigger_jenkins");
        }
        if (config["type"]?.ToString() == "mirror")
        {
            config.Remove("bases");
        }
        if (!IndexConfigRules.Imported(path, config).IsValid(out var indexConfig, out var invalid))
        {
            problems.Add($"index {path}: {invalid.Message}");
            return null;
        }
        var releases = new List<ExportedRelease>();
        var versions = new Dictionary<(string, string), string>();
        foreach (var (projectKey, versionsNode) in node["projects"] as JsonObject ?? [])
        {
            foreach (var (versionKey, verdataNode) in versionsNode as JsonObject ?? [])
            {
                var verdata = verdataNode as JsonObject ?? [];
                verdata = (JsonObject)verdata.DeepClone();
                foreach (var key in verdata.Select(kv => kv.Key).Where(k => k.StartsWith('+') || k == ":action").ToList())
                {
                    verdata.Remove(key);
                }
                var displayName = Text(verdata, "name") ?? projectKey;
                if (!ProjectName.TryParse(displayName, out var project, out var projectError))
                {
                    problems.Add($"index {path}: project '{displayName}': {projectError}");
                    continue;
                }
                var versionText = Text(verdata, "version") is { Length: > 0 } v ? v : versionKey;
                if (!Pep440Version.TryParse(versionText, out var version, out var versionError))
                {
                    problems.Add($"index {path}: {displayName} version '{versionText}': {versionError}");
                    continue;
                }
                verdata["version"] ??= versionText;
                versions[(project.Normalized, versionKey)] = version.Normalized;
                releases.Add(new ExportedRelease(project.Normalized, project.Raw, version.Normalized, verdata));
            }
        }
        var files = new List<ExportedFile>();
        foreach (var fileNode in node["files"] as JsonArray ?? [])
        {
            if (ReadFile(root, path, fileNode as JsonObject ?? [], versions, problems) is { } file)
            {
                files.Add(file);
            }
        }
        var releaseFiles = files.Where(f => f.Kind == FileKind.ReleaseFile).Select(f => (f.FileName, f.Project, f.Version)).ToHashSet();
        foreach (var toxResult in files.Where(f => f.Kind == FileKind.ToxResult))
        {
            var forName = toxResult.ForFileName!;
            if (!releaseFiles.Contains((forName, toxResult.Project, toxResult.Version)))
            {
                problems.Add($"index {path}: {toxResult.RelPath}: a tox result for {forName}, which is not a release file of {toxResult.Project} {toxResult.Version} in the export");
            }
            else if (!ToxResults.BelongsTo(toxResult.FileName, forName))
            {
                problems.Add($"index {path}: {toxResult.RelPath}: a tox result for {forName} must be named {forName}.toxresult-… as devpi names them");
            }
        }
        if (indexConfig.IsMirror && files.Count > 0)
        {
            // A mirror's files are a cache of its upstream: fetched again when asked for.
            files.Clear();
        }
        return new ExportedIndex(path, indexConfig, releases, files);
    }

    private static ExportedFile? ReadFile(string root, IndexPath index, JsonObject desc, Dictionary<(string, string), string> versions, List<string> problems)
    {
        var relPath = Text(desc, "relpath") ?? "";
        var type = Text(desc, "type");
        var kind = type switch
        {
            "releasefile" => FileKind.ReleaseFile,
            "doczip" => FileKind.DocZip,
            "toxresult" => FileKind.ToxResult,
            _ => (FileKind?)null,
        };
        if (kind is null)
        {
            return Problem($"index {index}: {relPath}: unknown file type '{type}'");
        }
        // devpi's for_entrypath is a path on the exporting server; only its last segment, the file's name, is stable.
        var forFileName = kind == FileKind.ToxResult ? Text(desc, "for_entrypath")?.Split('/')[^1] : null;
        if (kind == FileKind.ToxResult && string.IsNullOrEmpty(forFileName))
        {
            return Problem($"index {index}: {relPath}: a tox result without for_entrypath (the release file it belongs to)");
        }
        var full = Path.GetFullPath(Path.Combine(root, relPath));
        if (relPath.Length == 0 || Path.IsPathRooted(relPath) || !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return Problem($"index {index}: file path '{relPath}' is not inside the export directory");
        }
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            return Problem($"index {index}: {relPath} is listed in {DevpiExport.DataIndexFileName} but missing from the export");
        }
        if (!ProjectName.TryParse(Text(desc, "projectname"), out var project, out var projectError))
        {
            return Problem($"index {index}: {relPath}: project name: {projectError}");
        }
        var versionText = Text(desc, "version") ?? "";
        var version = versions.GetValueOrDefault((project.Normalized, versionText))
            ?? (Pep440Version.TryParse(versionText, out var v) ? v.Normalized : null);
        if (version is null)
        {
            return Problem($"index {index}: {relPath}: version '{versionText}' is not a PEP 440 version");
        }
        var mapping = desc["entrymapping"] as JsonObject ?? [];
        var sha256 = (mapping["hashes"] as JsonObject)?["sha256"]?.ToString()
            ?? (Text(mapping, "hash_spec") is { } spec && spec.StartsWith("sha256=", StringComparison.Ordinal) ? spec[7..] : null);
        if (sha256 is not null && !Storage.Files.BlobStore.IsValidSha256(sha256.ToLowerInvariant()))
        {
            return Problem($"index {index}: {relPath}: recorded sha256 '{sha256}' is not a sha256");
        }
        var lastModified = Text(mapping, "last_modified") is { } lm
            && DateTimeOffset.TryParse(lm, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed : info.LastWriteTimeUtc;
        var log = desc["log"] as JsonArray ?? [];
        return new ExportedFile(relPath, full, kind.Value, project.Normalized, version, info.Name, sha256?.ToLowerInvariant(), info.Length,
            lastModified, log.ToJsonString())
        {
            ForFileName = forFileName,
        };

        ExportedFile? Problem(string problem)
        {
            problems.Add(problem);
            return null;
        }
    }

    private static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
