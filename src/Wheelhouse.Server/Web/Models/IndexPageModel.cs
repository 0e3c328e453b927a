namespace Wheelhouse.Server.Web.Models;

/// <summary>An index: its configuration, its view's projects (one page of them) and how to use it.</summary>
public sealed record IndexPageModel(
    IndexLink Index, IReadOnlyList<IndexLink> Bases, IReadOnlyList<IndexLink> Chain, IReadOnlyList<string> AclUpload,
    IReadOnlyList<string> MirrorWhitelist, string? MirrorUrl, bool ViewerMayUpload, string Filter,
    IReadOnlyList<IndexPageModel.ProjectRow> Projects, Pager Pager, IReadOnlyList<HowToSnippet> HowTo) : IHowToPage
{
    /// <summary>A project with its newest version (PEP 440) and the index that version lives in.</summary>
    public sealed record ProjectRow(string Name, string Url, string Latest, string LatestUrl, string FromPath, string FromUrl, bool Inherited);
}
