using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Simple;

/// <summary>
/// Builds the simple API over an index's whole resolution order (spec "Indexes"): for links the first index holding a
/// file name wins, versions are the union. Pages are rendered once per serial and served from the cache.
/// Pages that a mirror contributes to are kept too, stamped also with the mirror pages they were built from: they are
/// rendered again when the serial or any consulted mirror's cached page changes, and never kept while a mirror's
/// answer carries a warning or is unavailable.
/// </summary>
public sealed class SimplePages(PackageStore store, UsersAndIndexes known, RenderedPageCache cache, MirrorPageService mirrors, ILogger<SimplePages> logger)
{
    /// <param name="Body">Null when no index in the order knows the project.</param>
    /// <param name="Warning">A mirror's stale-page warning, for the <c>Warning</c> header.</param>
    /// <param name="Unavailable">Set (with no body) when only an unreachable mirror could have answered: the 502 message.</param>
    public sealed record ProjectPageResult(byte[]? Body, string? Warning, string? Unavailable);

    /// <summary>The project page over the whole resolution order, mirrors included (spec "Indexes", mirror_whitelist).</summary>
    public async Task<ProjectPageResult> ProjectPageAsync(IndexEntry index, string project, SimpleFormat format, int depth, CancellationToken ct)
    {
        var order = ResolutionOrder.Compute(index.IndexPath, p => known.FindIndex(p)?.Config);
        if (order is null || !order.Any(i => i.IsMirror) || !ProjectName.TryParse(project, out var name))
        {
            return new ProjectPageResult(ProjectPage(index, project, format, depth), null, null);
        }
        // The whitelist decision and the stages' part only change with the serial; the mirrors' part with their cached pages.
        var serial = store.Serial;
        var key = new RenderedPageCache.Key(index.IndexPath, project, format, depth);
        var cached = cache.FindMirrorBacked(key, serial, index);
        MirrorWhitelistDecision? decision = null;
        if (cached is null)
        {
            using var reader = store.Read();
            decision = Decide(order, name, reader, project);
        }
        var consulted = cached?.Mirrors!.Consulted ?? decision!.Consult.Where(i => i.IsMirror).ToList();
        var answers = new MirrorPageAnswer[consulted.Count];
        for (var i = 0; i < consulted.Count; i++)
        {
            answers[i] = await mirrors.GetProjectPageAsync(consulted[i].Path, consulted[i].Config, name, ct);
        }
        var hit = cached is not null && cached.Mirrors!.StillMatch(answers);
        cache.Count(hit);
        if (hit)
        {
            return new ProjectPageResult(cached!.Body, null, null);
        }
        using (var reader = store.Read())
        {
            decision ??= Decide(order, name, reader, project);
            var result = Build(reader, order, decision, consulted, answers, project, format, depth);
            if (result is { Body: { } body, Warning: null, Unavailable: null })
            {
                var pages = answers.Select(a => (a as MirrorPageAnswer.Page)?.Value).ToList();
                cache.Put(key, new RenderedPageCache.Entry(serial, index, body, new RenderedPageCache.MirrorSources(consulted, pages)));
            }
            return result;
        }
    }

    private static MirrorWhitelistDecision Decide(ResolutionOrder order, ProjectName name, IMetadataReader reader, string project) =>
        MirrorWhitelistPolicy.Decide(order, name, p => reader.Releases(p.User.Value, p.Index.Value, project).Count > 0);

    private ProjectPageResult Build(IMetadataReader reader, ResolutionOrder order, MirrorWhitelistDecision decision, IReadOnlyList<ResolvedIndex> consulted,
        MirrorPageAnswer[] answers, string project, SimpleFormat format, int depth)
    {
        var stages = order.Where(i => !i.IsMirror).Select(i => known.FindIndex(i.Path)).OfType<IndexEntry>();
        var page = Collect(reader, stages, project);
        string? warning = null;
        string? unavailable = null;
        for (var i = 0; i < consulted.Count; i++)
        {
            var mirror = consulted[i];
            switch (answers[i])
            {
                case MirrorPageAnswer.Page p:
                    warning ??= p.Warning;
                    page.DisplayName ??= p.Value.Name;
                    page.Versions.UnionWith(p.Value.Versions);
                    if (p.Value.Links.Count(l => l.Sha256 is null) is > 0 and var unverifiable)
                    {
                        logger.LogWarning("mirror {Mirror}: {Count} of {Total} files on the upstream page of {Project} carry no sha256 and are left out: "
                            + "a mirror serves only files it can verify (links with #sha256=, or PEP 691 hashes)", mirror.Path, unverifiable, p.Value.Links.Count, project);
                    }
                    foreach (var link in p.Value.Links)
                    {
                        // Without a sha256 there is no content address to serve the file under, nor a way to verify it.
                        if (link.Sha256 is { } sha && page.Seen.Add(link.Filename))
                        {
                            page.Files.Add(new SimpleFile(link.Filename, IndexViews.FileUrl(mirror.Path.User.Value, mirror.Path.Index.Value, sha, link.Filename),
                                sha, null, null, link.RequiresPython ?? "", null, link.Yanked));
                        }
                    }
                    break;
                case MirrorPageAnswer.Unavailable u:
                    unavailable ??= u.Message;
                    logger.LogWarning("mirror {Mirror} unavailable for {Project}: {Message}", mirror.Path, project, u.Message);
                    break;
            }
        }
        if (page.DisplayName is null)
        {
            return new ProjectPageResult(null, null, unavailable);
        }
        var notice = decision.BlockedMirrors.Count == 0 ? null
            : $"{string.Join(", ", decision.BlockedMirrors)} not consulted for {project}: a private index holds it and it is not in mirror_whitelist "
              + "(dependency-confusion protection)";
        return new ProjectPageResult(Render(page, project, format, depth, notice), warning, null);
    }

    private sealed class Collected
    {
        public List<SimpleFile> Files { get; } = [];

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Versions { get; } = new(StringComparer.Ordinal);

        public string? DisplayName { get; set; }
    }

    /// <summary>The rendered project page, or null when no index in the order knows the project.</summary>
    public byte[]? ProjectPage(IndexEntry index, string project, SimpleFormat format, int depth)
    {
        var serial = store.Serial;
        var key = new RenderedPageCache.Key(index.IndexPath, project, format, depth);
        var body = cache.GetOrRender(key, serial, index, () => RenderProject(index, project, format, depth) ?? []);
        return body.Length == 0 ? null : body;
    }

    public byte[] ProjectList(IndexEntry index, SimpleFormat format, bool trailingSlash)
    {
        var key = new RenderedPageCache.Key(index.IndexPath, "", format, trailingSlash ? 1 : 0);
        return cache.GetOrRender(key, store.Serial, index, () =>
        {
            using var reader = store.Read();
            // A stage's list leaves its mirrors out; a mirror's own (mirror_no_project_list) is what it stored.
            var stages = index.IsMirror ? [index] : known.ResolutionOrderOf(index).Where(i => !i.IsMirror);
            var list = ProjectListMerge.Merge(stages.Select(stage => reader.Projects(stage.User, stage.Name)).ToList());
            return format == SimpleFormat.Json ? SimpleProjectList.Json(list) : SimpleProjectList.Html(list, trailingSlash ? "" : "+simple/");
        });
    }

    private byte[]? RenderProject(IndexEntry index, string project, SimpleFormat format, int depth)
    {
        using var reader = store.Read();
        var page = Collect(reader, known.ResolutionOrderOf(index).Where(i => !i.IsMirror), project);
        return page.DisplayName is null ? null : Render(page, project, format, depth, null);
    }

    private static Collected Collect(IMetadataReader reader, IEnumerable<IndexEntry> stages, string project)
    {
        var page = new Collected();
        foreach (var stage in stages)
        {
            var releases = reader.Releases(stage.User, stage.Name, project);
            if (releases.Count == 0)
            {
                continue;
            }
            page.DisplayName ??= releases[0].DisplayName;
            page.Versions.UnionWith(releases.Select(r => r.Version));
            var yanked = SimpleFile.YankedVersions(releases);
            foreach (var f in reader.Files(stage.User, stage.Name, project))
            {
                if (f.Kind == FileKind.ReleaseFile && page.Seen.Add(f.FileName))
                {
                    page.Files.Add(SimpleFile.Of(f, yanked));
                }
            }
        }
        return page;
    }

    private static byte[] Render(Collected page, string project, SimpleFormat format, int depth, string? notice)
    {
        var toRoot = string.Concat(Enumerable.Repeat("../", depth));
        page.Files.Sort((a, b) => string.CompareOrdinal(a.FileName, b.FileName));
        if (format == SimpleFormat.Json)
        {
            var ordered = page.Versions.OrderBy(v => Pep440Version.TryParse(v, out var pv) ? pv : null).ThenBy(v => v, StringComparer.Ordinal).ToList();
            return SimpleProjectPage.Json(project, page.Files, ordered, toRoot);
        }
        return SimpleProjectPage.Html(project, page.Files, toRoot, notice);
    }
}
