using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Http;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Simple;

/// <summary>
/// One flat page of every release file visible through an index, for <c>pip install --find-links URL</c>
/// (devpi-findlinks' <c>/{user}/{index}/+findlinks</c>, also answered on <c>/+links</c>). The same rules as the project
/// pages: the resolution order, the first index holding a file name wins, mirror_whitelist keeps a mirror's files of a
/// project that a private index holds off the page. Unlike devpi-findlinks, which leaves mirrors out, a mirror
/// contributes the files it has already cached (fetched once through it, or kept warm by pre-fetch); it never asks its
/// upstream, so the page is what an air-gapped client can really download. Rendered once per serial: a mirror that
/// stores a file commits, which moves the serial.
/// </summary>
public sealed class FindLinksPage(PackageStore store, UsersAndIndexes known, RenderedPageCache cache)
{
    // '+' is never part of a normalized project name, so the key cannot collide with a project page's.
    private const string CacheProject = "+findlinks";

    /// <param name="depth">How many <c>../</c> lead from the requested URL back to the server root.</param>
    public byte[] Render(IndexEntry index, int depth) =>
        cache.GetOrRender(new RenderedPageCache.Key(index.IndexPath, CacheProject, SimpleFormat.Html, depth), store.Serial, index, () =>
        {
            using var reader = store.Read();
            var files = Collect(reader, index);
            files.Sort((a, b) => string.CompareOrdinal(a.FileName, b.FileName));
            return SimpleProjectPage.Html(index.IndexPath.ToString(), files, string.Concat(Enumerable.Repeat("../", depth)),
                files.Count == 0 ? $"No release files are visible through {index.IndexPath} yet." : null);
        });

    private List<SimpleFile> Collect(IMetadataReader reader, IndexEntry index)
    {
        var files = new List<SimpleFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = ResolutionOrder.Compute(index.IndexPath, p => known.FindIndex(p)?.Config);
        if (order is null)
        {
            return files;
        }
        var decisions = new Dictionary<string, MirrorWhitelistDecision>(StringComparer.Ordinal);
        foreach (var stage in order)
        {
            // A mirror's marks are its upstream's, which this page never asks.
            var yanked = stage.IsMirror ? [] : reader.ReleasesWithMetadataKey(stage.Path.User.Value, stage.Path.Index.Value, Yanked.Key)
                .GroupBy(r => r.Project, StringComparer.Ordinal).ToDictionary(g => g.Key, SimpleFile.YankedVersions, StringComparer.Ordinal);
            foreach (var f in reader.IndexFiles(stage.Path.User.Value, stage.Path.Index.Value))
            {
                if (f.Kind != FileKind.ReleaseFile || (stage.IsMirror && !Consulted(reader, order, stage, f.Project, decisions)) || !seen.Add(f.FileName))
                {
                    continue;
                }
                files.Add(SimpleFile.Of(f, yanked.GetValueOrDefault(f.Project)));
            }
        }
        return files;
    }

    /// <summary>Whether the project page would consult <paramref name="mirror"/> for <paramref name="project"/> (dependency-confusion protection).</summary>
    private static bool Consulted(IMetadataReader reader, ResolutionOrder order, ResolvedIndex mirror, string project, Dictionary<string, MirrorWhitelistDecision> decisions)
    {
        if (!ProjectName.TryParse(project, out var name))
        {
            return false;
        }
        if (!decisions.TryGetValue(name.Normalized, out var decision))
        {
            decision = MirrorWhitelistPolicy.Decide(order, name, p => reader.Releases(p.User.Value, p.Index.Value, name.Normalized).Count > 0);
            decisions[name.Normalized] = decision;
        }
        return decision.Consult.Any(i => i.Path == mirror.Path);
    }
}
