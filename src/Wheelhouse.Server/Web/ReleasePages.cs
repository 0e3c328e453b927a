using System.Globalization;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Web.Models;
using Wheelhouse.Server.Web.Session;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Web;

/// <summary>The project and version pages' models, from <see cref="ReleaseService"/>'s view of an index.</summary>
public sealed class ReleasePages(ReleaseService releases, UsersAndIndexes known, DescriptionRenderer descriptions)
{
    public Outcome<ProjectPageModel> Project(IndexEntry index, string project, WebLinks links)
    {
        if (releases.Project(index, project, ignoreBases: false) is not Outcome<ReleaseService.ProjectReleases>.Unchanged { Value: var found })
        {
            return new Refusal.NotFound($"project {project} not found in {index.IndexPath}");
        }
        // The first stage in resolution order holding a version is the one the index serves.
        var order = known.ResolutionOrderOf(index).Select((stage, i) => (stage.IndexPath.ToString(), i)).ToDictionary();
        var visible = found.Releases
            .GroupBy(r => r.Version)
            .Select(g => g.OrderBy(r => order.GetValueOrDefault($"{r.User}/{r.Index}", int.MaxValue)).First())
            .Select(r => (Release: r, Parsed: Pep440Version.TryParse(r.Version, out var v) ? v : null))
            .ToList();
        visible.Sort((a, b) => WebCatalog.Newer(a.Parsed, a.Release.Version, b.Parsed, b.Release.Version) ? -1
            : WebCatalog.Newer(b.Parsed, b.Release.Version, a.Parsed, a.Release.Version) ? 1 : 0);
        var rows = visible.Select(v => new ProjectPageModel.VersionRow(
            v.Release.Version, links.Version(index.User, index.Name, project, v.Release.Version), $"{v.Release.User}/{v.Release.Index}",
            links.Index(v.Release.User, v.Release.Index), v.Release.User != index.User || v.Release.Index != index.Name,
            v.Parsed?.IsPreRelease ?? false, Time(v.Release.Created))).ToList();
        var newest = visible[0].Release;
        return new Outcome<ProjectPageModel>.Unchanged(new ProjectPageModel(
            newest.DisplayName, links.Link(index), ReleaseMetadata.From(newest.MetadataJson).Summary, rows,
            index.IsMirror ? [] : HowToUse.For(links.Root, index.IndexPath.ToString(), newest.DisplayName)));
    }

    public Outcome<VersionPageModel> Version(IndexEntry index, string project, string version, WebLinks links, WebViewer viewer)
    {
        if (releases.Version(index, project, version) is not Outcome<ReleaseService.ProjectReleases>.Unchanged { Value: var found })
        {
            return new Refusal.NotFound($"version {version} of {project} not found in {index.IndexPath}");
        }
        var release = found.Releases[0];
        var from = known.FindIndex(release.User, release.Index) ?? index;
        var files = found.Files.Where(f => f.Version == release.Version).OrderBy(f => f.FileName, StringComparer.Ordinal).ToList();
        var metadata = ReleaseMetadata.From(release.MetadataJson);
        var history = files.SelectMany(f => History(f)).OrderBy(h => h.When, StringComparer.Ordinal).ToList();
        var hasDocs = files.Any(f => f.Kind == FileKind.DocZip);
        var mayDelete = from == index && viewer.MayDeleteFrom(index);
        return new Outcome<VersionPageModel>.Unchanged(new VersionPageModel(
            release.DisplayName, release.Version, Pep440Version.TryParse(release.Version, out var parsed) && parsed.IsPreRelease,
            links.Link(index), links.Link(from), links.Project(index.User, index.Name, release.Project), metadata,
            descriptions.Render(metadata.Description, metadata.DescriptionContentType),
            files.Select(f => new VersionPageModel.FileRow(
                f.FileName, links.File(IndexViews.FileUrl(f)), f.Kind.DevpiName(), Size(f.Size), f.Sha256, Time(f.Uploaded),
                History(f).FirstOrDefault(h => h.What == "upload")?.Who ?? "")).ToList(),
            history,
            hasDocs ? links.Docs(index.User, index.Name, release.Project, release.Version) : null,
            mayDelete ? links.Root + DeleteReleasePages.UrlOf(index.User, index.Name, release.Project, release.Version) : null,
            index.IsMirror ? [] : HowToUse.For(links.Root, index.IndexPath.ToString(), $"{release.DisplayName}=={release.Version}"),
            from == index && viewer.MayYankIn(index) ? links.Root + YankReleasePages.UrlOf(index.User, index.Name, release.Project, release.Version) : null,
            TestResults(files, links)));
    }

    /// <summary>Each environment of each test result, newest result first; a report that cannot be read shows as such.</summary>
    private List<VersionPageModel.TestResultRow> TestResults(List<FileRecord> files, WebLinks links)
    {
        var rows = new List<VersionPageModel.TestResultRow>();
        foreach (var result in files.Where(f => f.Kind == FileKind.ToxResult).OrderByDescending(f => f.Uploaded))
        {
            var tested = ToxResults.ReleaseFileOf(result, files)?.FileName ?? "";
            var url = links.File(IndexViews.FileUrl(result));
            var report = result.Size <= ToxResultUpload.MaxBytes && releases.ContentPath(result) is { } path ? ToxReport.Parse(File.ReadAllBytes(path)) : null;
            if (report is null || report.Environments.Count == 0)
            {
                rows.Add(new(tested, "", "", report?.Host ?? "", report?.Platform ?? "", report is null ? "unreadable" : "no environments", url, Time(result.Uploaded)));
                continue;
            }
            rows.AddRange(report.Environments.Select(e => new VersionPageModel.TestResultRow(tested, e.Name, e.Python, report.Host, report.Platform,
                e.Outcome switch { ToxReport.Outcome.Passed => "passed", ToxReport.Outcome.Failed => "failed", _ => "not run" }, url, Time(result.Uploaded))));
        }
        return rows;
    }

    private static IEnumerable<VersionPageModel.HistoryRow> History(FileRecord file)
    {
        JsonArray? entries;
        try
        {
            entries = JsonNode.Parse(file.LogJson) as JsonArray;
        }
        catch (System.Text.Json.JsonException)
        {
            yield break;
        }
        foreach (var entry in (entries ?? []).OfType<JsonObject>())
        {
            var when = entry["when"] is JsonArray { Count: >= 6 } t
                ? string.Format(CultureInfo.InvariantCulture, "{0:D4}-{1:D2}-{2:D2} {3:D2}:{4:D2}:{5:D2} UTC",
                    t.Take(6).Select(n => (object)(n is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0)).ToArray())
                : "";
            yield return new VersionPageModel.HistoryRow(file.FileName, Text(entry["what"]), Text(entry["who"]), when, Text(entry["src"]), Text(entry["dst"]));
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    internal static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0 'KiB'", CultureInfo.InvariantCulture),
        _ => (bytes / (1024.0 * 1024)).ToString("0.0 'MiB'", CultureInfo.InvariantCulture),
    };
}
