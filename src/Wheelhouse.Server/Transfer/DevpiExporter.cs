using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// Writes a store in devpi-export's format (dump version 2), which devpi-server's <c>devpi-import</c> and our
/// <c>import</c> read: <c>dataindex.json</c> with users (their password hashes as stored), indexes with their
/// config, each stage's releases (metadata as recorded) and files, and the files at
/// <c>user/index/project/version/file</c>, documentation at <c>user/index/project-version.doc.zip</c>. Everything comes
/// from one <see cref="StoreSnapshot"/>; <c>dataindex.json</c> is written last, so an interrupted export is never
/// taken for one.
/// </summary>
public static class DevpiExporter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Exports into <paramref name="directory"/> (new or empty); returns the number of files and bytes.</summary>
    public static async Task<(int Files, long Bytes, long Serial)> ExportAsync(PackageStore store, string directory, Func<int, long, TransferProgress> progressFor, CancellationToken ct)
    {
        var users = new JsonObject();
        var indexes = new JsonObject();
        long bytes = 0;
        var files = 0;
        long serial;
        TransferProgress progress;
        using (var snapshot = await store.SnapshotAsync(ct))
        {
            var rows = snapshot.Rows;
            serial = snapshot.Serial;
            var all = rows.AllFiles();
            progress = progressFor(all.Count, all.Sum(f => f.Size));
            foreach (var user in rows.Users())
            {
                users[user.Name] = User(user);
            }
            foreach (var record in rows.Indexes())
            {
                var entry = IndexEntry.From(record);
                var index = new JsonObject { ["indexconfig"] = IndexConfigJson.ToJson(entry.Config, forDisplay: false) };
                indexes[entry.IndexPath.ToString()] = index;
                if (entry.IsMirror)
                {
                    continue; // as devpi-export without --include-mirrored-files: a mirror's files are its upstream's
                }
                var projects = new JsonObject();
                var fileList = new JsonArray();
                foreach (var (project, _) in rows.Projects(record.User, record.Name))
                {
                    var versions = new JsonObject();
                    foreach (var release in rows.Releases(record.User, record.Name, project).OrderBy(r => r.Version, StringComparer.Ordinal))
                    {
                        versions[release.Version] = JsonNode.Parse(release.MetadataJson);
                    }
                    projects[project] = versions;
                    var projectFiles = rows.Files(record.User, record.Name, project);
                    foreach (var file in projectFiles)
                    {
                        var tested = file.Kind == FileKind.ToxResult ? ToxResults.ReleaseFileOf(file, projectFiles) : null;
                        var relPath = file.Kind switch
                        {
                            FileKind.DocZip => $"{file.User}/{file.Index}/{file.Project}-{file.Version}.doc.zip",
                            // as devpi-export lays out tox results: beside the project, under the tested file's hash spec
                            FileKind.ToxResult => $"{file.User}/{file.Index}/{file.Project}/sha256={tested?.Sha256 ?? file.Sha256}/{file.FileName}",
                            _ => $"{file.User}/{file.Index}/{file.Project}/{file.Version}/{file.FileName}",
                        };
                        if (!snapshot.Capture(file.Sha256, Path.Combine(directory, relPath)))
                        {
                            throw new IOException($"{file.User}/{file.Index}/{file.FileName}: its blob {file.Sha256} is missing from the store; run 'wheelhouse-server check'");
                        }
                        var described = FileEntry(file, relPath);
                        if (tested is not null)
                        {
                            described["for_entrypath"] = Http.IndexViews.FileUrl(tested);
                        }
                        fileList.Add(described);
                        files++;
                        bytes += file.Size;
                        progress.FileDone(file.Size);
                    }
                }
                index["projects"] = projects;
                index["files"] = fileList;
            }
            await snapshot.ReleaseAndCopyAsync(_ => { }, ct);
        }
        var data = new JsonObject
        {
            ["users"] = users,
            ["indexes"] = indexes,
            ["dumpversion"] = DevpiExport.DumpVersion,
            ["wheelhouse_server"] = Hosting.ServerVersion.Current,
            ["serial"] = serial,
        };
        var path = Path.Combine(directory, DevpiExport.DataIndexFileName);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, data.ToJsonString(Indented), ct);
        File.Move(temp, path);
        progress.Done();
        return (files, bytes, serial);
    }

    private static JsonObject User(UserRecord user)
    {
        var json = new JsonObject { ["username"] = user.Name };
        if (user.PasswordHash.Length > 0)
        {
            json["pwhash"] = user.PasswordHash;
        }
        Add(json, "email", user.Email);
        Add(json, "title", user.Title);
        Add(json, "description", user.Description);
        json["created"] = user.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return json;
    }

    private static void Add(JsonObject json, string key, string value)
    {
        if (value.Length > 0)
        {
            json[key] = value;
        }
    }

    private static JsonObject FileEntry(FileRecord file, string relPath)
    {
        var entry = new JsonObject
        {
            ["version"] = file.Version,
            ["entrymapping"] = new JsonObject
            {
                ["last_modified"] = file.Uploaded.UtcDateTime.ToString("r", CultureInfo.InvariantCulture),
                ["hash_spec"] = $"sha256={file.Sha256}",
                ["hashes"] = new JsonObject { ["sha256"] = file.Sha256 },
                ["project"] = file.Project,
                ["version"] = file.Version,
            },
        };
        if (file.Kind != FileKind.DocZip)
        {
            entry["log"] = JsonNode.Parse(file.LogJson) ?? new JsonArray();
        }
        entry["type"] = file.Kind.DevpiName();
        entry["projectname"] = file.Project;
        entry["relpath"] = relPath;
        return entry;
    }
}
