namespace Wheelhouse.Packaging.Templates;

/// <summary>The model of <c>changelog.Debian.sbn</c>: one entry for the version being built.</summary>
/// <param name="Date">RFC 2822 date of SOURCE_DATE_EPOCH, as dpkg-parsechangelog expects.</param>
/// <param name="Changes">One bullet per line, already free of newlines.</param>
public sealed record ChangelogModel(
    string Package,
    string Version,
    string Distribution,
    string Urgency,
    string Maintainer,
    string Date,
    IReadOnlyList<string> Changes);
