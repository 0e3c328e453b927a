namespace Wheelhouse.Storage;

/// <summary>A registered release (name and version) of a project in one index, with its devpi verdata as JSON.</summary>
public sealed record ReleaseRecord(
    string User, string Index, string Project, string Version, string DisplayName, string MetadataJson, DateTimeOffset Created);
