using System.Globalization;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Push;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Http;

/// <summary>The devpi JSON views (spec "Endpoints"): userconfig, indexconfig, projectconfig, verdata with +links.</summary>
public sealed class IndexViews(UsersAndIndexes known)
{
    public JsonObject UserConfig(UserRecord user)
    {
        var indexes = new JsonObject();
        foreach (var index in known.IndexesOf(user.Name))
        {
            indexes[index.Name] = IndexConfig(index, null);
        }
        return new JsonObject
        {
            ["username"] = user.Name,
            ["created"] = user.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["email"] = user.Email,
            ["title"] = user.Title,
            ["description"] = user.Description,
            ["indexes"] = indexes,
        };
    }

    /// <summary>The index's config; with <paramref name="projects"/> also the (sorted) projects of this index only.</summary>
    public static JsonObject IndexConfig(IndexEntry index, IReadOnlyList<string>? projects) => index.ToJson(projects);

    /// <summary>devpi's <c>actionlog</c> of a push: the registration, then one store action per file copied.</summary>
    public static JsonArray ActionLog(PushService.Receipt receipt)
    {
        var actions = new JsonArray();
        if (receipt.Registered)
        {
            actions.Add(new JsonArray(200, "register", receipt.Release.DisplayName, receipt.Release.Version, "->", receipt.Target.IndexPath.ToString()));
        }
        foreach (var copy in receipt.Copies)
        {
            actions.Add(new JsonArray(200, "store_" + copy.Kind.DevpiName(), FileUrl(copy)));
        }
        return actions;
    }

    /// <summary>
    /// verdata: the release's metadata plus <c>+links</c> to its files (absolute URLs); a tox result's link also has
    /// <c>for_href</c>, the release file it was run against, as devpi shows it.
    /// </summary>
    public static JsonObject VersionData(ReleaseRecord release, IEnumerable<FileRecord> files, string root)
    {
        var data = JsonNode.Parse(release.MetadataJson) as JsonObject ?? [];
        var links = new JsonArray();
        var ofRelease = files.Where(f => f.Version == release.Version).ToList();
        foreach (var f in ofRelease)
        {
            var link = new JsonObject
            {
                ["rel"] = f.Kind.DevpiName(),
                ["hash_spec"] = "sha256=" + f.Sha256,
                ["href"] = root + "/" + FileUrl(f),
                ["log"] = JsonNode.Parse(f.LogJson),
            };
            if (f.Kind == FileKind.ToxResult && ToxResults.ReleaseFileOf(f, ofRelease) is { } tested)
            {
                link["for_href"] = root + "/" + FileUrl(tested);
            }
            links.Add(link);
        }
        data["+links"] = links;
        return data;
    }

    /// <summary>projectconfig: <c>{version: verdata}</c> over the given releases, newest version first.</summary>
    public static JsonObject ProjectConfig(IEnumerable<ReleaseRecord> releases, IReadOnlyList<FileRecord> files, string root)
    {
        var result = new JsonObject();
        foreach (var release in releases.OrderByDescending(r => Pep440Version.TryParse(r.Version, out var v) ? v : null))
        {
            if (!result.ContainsKey(release.Version))
            {
                result[release.Version] = VersionData(release, files.Where(f => f.User == release.User && f.Index == release.Index), root);
            }
        }
        return result;
    }

    /// <summary>The server-root-relative URL of a stored file: <c>u/i/+f/{sha[0:3]}/{sha[3:16]}/{name}</c>.</summary>
    public static string FileUrl(FileRecord f) => FileUrl(f.User, f.Index, f.Sha256, f.FileName);

    public static string FileUrl(string user, string index, string sha256, string fileName) =>
        $"{Uri.EscapeDataString(user)}/{Uri.EscapeDataString(index)}/+f/{sha256[..3]}/{sha256[3..16]}/{Uri.EscapeDataString(fileName)}";
}
