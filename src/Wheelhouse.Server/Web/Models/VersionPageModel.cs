namespace Wheelhouse.Server.Web.Models;

/// <summary>One release: its metadata, rendered description, files, history and documentation.</summary>
public sealed record VersionPageModel(
    string Name, string Version, bool PreRelease, IndexLink Index, IndexLink From, string ProjectUrl, ReleaseMetadata Metadata,
    HtmlString Description, IReadOnlyList<VersionPageModel.FileRow> Files, IReadOnlyList<VersionPageModel.HistoryRow> History,
    string? DocUrl, string? DeleteUrl, IReadOnlyList<HowToSnippet> HowTo, string? YankUrl = null,
    IReadOnlyList<VersionPageModel.TestResultRow>? TestResults = null) : IHowToPage
{
    public sealed record FileRow(string Name, string Url, string Kind, string Size, string Sha256, string Uploaded, string Uploader);

    public IReadOnlyList<TestResultRow> TestResults { get; init; } = TestResults ?? [];

    /// <summary>One environment of a test result (<c>devpi test</c>): the tested file, and how its run went.</summary>
    public sealed record TestResultRow(string File, string Environment, string Python, string Host, string Platform, string Result, string ReportUrl, string When);

    /// <summary>One entry of a file's log: an upload, a push (from which index) or a mirror fetch.</summary>
    public sealed record HistoryRow(string File, string What, string Who, string When, string Source, string Target);
}
