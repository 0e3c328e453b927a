using System.Collections.Concurrent;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Web.Models;
using Wheelhouse.Server.Web.Session;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Web;

/// <summary>
/// What the home, index and project pages show, read from the users and indexes in memory and from storage. An
/// index's view is the index and its bases in resolution order (mirrors' projects are fetched on demand, not listed).
/// </summary>
public sealed class WebCatalog(UsersAndIndexes known, PackageStore store)
{
    public const int PageSize = 50;

    private readonly ConcurrentDictionary<string, (long Serial, IReadOnlyList<ListedProject> Projects)> _views = new(StringComparer.Ordinal);

    /// <summary>A project of a view, with the stages holding it (first in resolution order first).</summary>
    private sealed record ListedProject(string Project, string DisplayName, IReadOnlyList<IndexEntry> Stages);

    public HomePageModel Home(WebLinks links, WebViewer viewer) => new(
        known.Users.OrderBy(u => u.Name, StringComparer.Ordinal).Select(u => new HomePageModel.UserRow(
            u.Name, links.User(u.Name), u.Title, u.Description, known.IndexesOf(u.Name).Select(links.Link).ToList())).ToList(),
        viewer.UploadableIndexes(known).Select(i => i.IndexPath.ToString()).ToList());

    /// <summary>The stages an index's pages read: its resolution order without mirrors, or the mirror itself.</summary>
    public IReadOnlyList<IndexEntry> View(IndexEntry index) =>
        index.IsMirror ? [index] : known.ResolutionOrderOf(index).Where(i => !i.IsMirror).ToList();

    public IndexPageModel Index(IndexEntry index, WebLinks links, WebViewer viewer, string filter, int page)
    {
        var all = Listed(index);
        var wanted = filter.Trim();
        var matching = wanted.Length == 0 ? all : all.Where(p =>
            p.Project.Contains(wanted, StringComparison.OrdinalIgnoreCase) || p.DisplayName.Contains(wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        var pages = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var rows = new List<IndexPageModel.ProjectRow>();
        using (var reader = store.Read())
        {
            foreach (var project in matching.Skip((page - 1) * PageSize).Take(PageSize))
            {
                rows.Add(Row(reader, index, project, links));
            }
        }
        string PageUrl(int n) => links.Index(index.User, index.Name) + $"?page={n}" + (wanted.Length == 0 ? "" : "&q=" + Uri.EscapeDataString(wanted));
        var config = index.Config;
        return new IndexPageModel(
            links.Link(index),
            config.Bases.Select(b => known.FindIndex(b)).OfType<IndexEntry>().Select(links.Link).ToList(),
            known.ResolutionOrderOf(index).Select(links.Link).ToList(),
            config.AclUpload.Select(a => a.ToString()).ToList(),
            config.MirrorWhitelist,
            config.MirrorUrlForDisplay,
            viewer.MayUploadTo(index),
            wanted,
            rows,
            new Pager(page, pages, matching.Count, page > 1 ? PageUrl(page - 1) : null, page < pages ? PageUrl(page + 1) : null),
            index.IsMirror ? [] : HowToUse.For(links.Root, index.IndexPath.ToString()));
    }

    private static IndexPageModel.ProjectRow Row(IMetadataReader reader, IndexEntry index, ListedProject project, WebLinks links)
    {
        (string Version, Pep440Version? Parsed, IndexEntry Stage)? best = null;
        foreach (var stage in project.Stages)
        {
            foreach (var release in reader.Releases(stage.User, stage.Name, project.Project))
            {
                var parsed = Pep440Version.TryParse(release.Version, out var v) ? v : null;
                if (best is null || Newer(parsed, release.Version, best.Value.Parsed, best.Value.Version))
                {
                    best = (release.Version, parsed, stage);
                }
            }
        }
        var from = best?.Stage ?? index;
        var latest = best?.Version ?? "";
        return new IndexPageModel.ProjectRow(project.DisplayName, links.Project(index.User, index.Name, project.Project), latest,
            links.Version(index.User, index.Name, project.Project, latest), from.IndexPath.ToString(), links.Index(from.User, from.Name),
            from != index);
    }

    /// <summary>PEP 440 order; versions that do not parse sort below every version that does, then by text.</summary>
    public static bool Newer(Pep440Version? a, string aText, Pep440Version? b, string bText) =>
        (a, b) switch
        {
            ({ } x, { } y) => x.CompareTo(y) > 0,
            ({ }, null) => true,
            (null, { }) => false,
            _ => string.CompareOrdinal(aText, bText) > 0,
        };

    /// <summary>The projects of an index's view, sorted by normalized name; kept until the next commit.</summary>
    private IReadOnlyList<ListedProject> Listed(IndexEntry index)
    {
        var key = index.IndexPath.ToString();
        var serial = store.Serial;
        if (_views.TryGetValue(key, out var cached) && cached.Serial == serial)
        {
            return cached.Projects;
        }
        var merged = new SortedDictionary<string, (string Display, List<IndexEntry> Stages)>(StringComparer.Ordinal);
        using (var reader = store.Read())
        {
            foreach (var stage in View(index))
            {
                foreach (var (project, display) in reader.Projects(stage.User, stage.Name))
                {
                    if (!merged.TryGetValue(project, out var entry))
                    {
                        merged[project] = entry = (display, []);
                    }
                    entry.Stages.Add(stage);
                }
            }
        }
        IReadOnlyList<ListedProject> list = merged.Select(p => new ListedProject(p.Key, p.Value.Display, p.Value.Stages)).ToList();
        _views[key] = (serial, list);
        return list;
    }
}
