using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Http;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Simple;

/// <summary>
/// Builds the simple API over an index's whole resolution order (spec "Indexes"): for links the first index holding a
/// file name wins, versions are the union. Pages are rendered once per serial and served from the cache.
/// Mirror indexes are the seam for mirroring: they are walked in the order but contribute nothing yet.
/// </summary>
public sealed class SimplePages(MetadataDatabase db, UserDirectory directory, RenderedPageCache cache)
{
    /// <summary>The rendered project page, or null when no index in the order knows the project.</summary>
    public byte[]? ProjectPage(IndexEntry index, string project, SimpleFormat format, int depth)
    {
        var serial = db.Serial;
        var key = new RenderedPageCache.Key(index.Path, project, format, depth);
        var body = cache.GetOrRender(key, serial, () => RenderProject(index, project, format, depth) ?? []);
        return body.Length == 0 ? null : body;
    }

    public byte[] ProjectList(IndexEntry index, SimpleFormat format, bool trailingSlash)
    {
        var key = new RenderedPageCache.Key(index.Path, "", format, trailingSlash ? 1 : 0);
        return cache.GetOrRender(key, db.Serial, () =>
        {
            var projects = new SortedDictionary<string, string>(StringComparer.Ordinal);
            using var reader = db.Read();
            foreach (var stage in directory.ResolutionOrderOf(index).Where(i => !i.IsMirror))
            {
                foreach (var (p, display) in reader.Projects(stage.User, stage.Name))
                {
                    projects.TryAdd(p, display);
                }
            }
            var list = projects.Select(p => (p.Key, p.Value)).ToList();
            return format == SimpleFormat.Json ? SimpleProjectList.Json(list) : SimpleProjectList.Html(list, trailingSlash ? "" : "+simple/");
        });
    }

    private byte[]? RenderProject(IndexEntry index, string project, SimpleFormat format, int depth)
    {
        using var reader = db.Read();
        var files = new List<SimpleFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var versions = new HashSet<string>(StringComparer.Ordinal);
        string? displayName = null;
        foreach (var stage in directory.ResolutionOrderOf(index).Where(i => !i.IsMirror))
        {
            var releases = reader.Releases(stage.User, stage.Name, project);
            if (releases.Count == 0)
            {
                continue;
            }
            displayName ??= releases[0].DisplayName;
            versions.UnionWith(releases.Select(r => r.Version));
            foreach (var f in reader.Files(stage.User, stage.Name, project))
            {
                if (f.Kind == FileRecord.ReleaseFile && seen.Add(f.FileName))
                {
                    files.Add(new SimpleFile(f.FileName, IndexViews.FileUrl(f), f.Sha256, f.Size, f.Uploaded, f.RequiresPython, f.MetadataSha256));
                }
            }
        }
        if (displayName is null)
        {
            return null;
        }
        var toRoot = string.Concat(Enumerable.Repeat("../", depth));
        files.Sort((a, b) => string.CompareOrdinal(a.FileName, b.FileName));
        if (format == SimpleFormat.Json)
        {
            var ordered = versions.OrderBy(v => Pep440Version.TryParse(v, out var pv) ? pv : null).ThenBy(v => v, StringComparer.Ordinal).ToList();
            return SimpleProjectPage.Json(project, files, ordered, toRoot);
        }
        return SimpleProjectPage.Html(project, files, toRoot);
    }
}
