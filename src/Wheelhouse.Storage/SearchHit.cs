namespace Wheelhouse.Storage;

/// <summary>
/// One project of one index found by <see cref="IMetadataReader.Search"/>, described by the release of it registered
/// last (its <see cref="Version"/>, display name and summary).
/// </summary>
public sealed record SearchHit(
    string User, string Index, string Project, string DisplayName, string Version, string Summary, SearchMatch Match);
