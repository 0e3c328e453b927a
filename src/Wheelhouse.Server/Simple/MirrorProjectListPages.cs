using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Simple;

/// <summary>
/// A mirror's project list rendered once per upstream list it holds (PyPI's is tens of MB), not per request, so its
/// compressed forms are made once too (<see cref="CompressedRendering"/>). Lives as long as the cached list does.
/// </summary>
public static class MirrorProjectListPages
{
    private static readonly ConditionalWeakTable<UpstreamProjectList, ConcurrentDictionary<(SimpleFormat, bool), byte[]>> Rendered = new();

    public static byte[] Render(UpstreamProjectList list, SimpleFormat format, bool trailingSlash) =>
        Rendered.GetValue(list, _ => new()).GetOrAdd((format, trailingSlash), key =>
        {
            var projects = list.Projects.Select(p => (ProjectName.Normalize(p), p))
                .DistinctBy(p => p.Item1).OrderBy(p => p.Item1, StringComparer.Ordinal).ToList();
            return key.Item1 == SimpleFormat.Json ? SimpleProjectList.Json(projects) : SimpleProjectList.Html(projects, key.Item2 ? "" : "+simple/");
        });
}
