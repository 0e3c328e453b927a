namespace Wheelhouse.Server.Web.Models;

/// <summary>A project as one index sees it: every version visible through the index, newest first.</summary>
public sealed record ProjectPageModel(string Name, IndexLink Index, string Summary, IReadOnlyList<ProjectPageModel.VersionRow> Versions,
    IReadOnlyList<HowToSnippet> HowTo) : IHowToPage
{
    public sealed record VersionRow(string Version, string Url, string FromPath, string FromUrl, bool Inherited, bool PreRelease, string Registered);
}
