namespace Wheelhouse.Storage;

/// <summary>A user row; the password is only ever stored as a hash.</summary>
public sealed record UserRecord(string Name, string PasswordHash, string Email, string Title, string Description, DateTimeOffset Created)
{
    /// <summary>The groups a <c>:group</c> ACL entry matches (local users get them from a layout file).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
}

/// <summary>An index row; its typed config is Core's concern, stored here as JSON.</summary>
public sealed record IndexRecord(string User, string Name, string ConfigJson);

/// <summary>A registered release (name and version) of a project in one index, with its devpi verdata as JSON.</summary>
public sealed record ReleaseRecord(
    string User, string Index, string Project, string Version, string DisplayName, string MetadataJson, DateTimeOffset Created);

/// <summary>A release file or doc zip in one index; the bytes live in the blob store under <see cref="Sha256"/>.</summary>
public sealed record FileRecord(
    string User, string Index, string FileName, string Project, string Version, string Kind, string Sha256, long Size,
    DateTimeOffset Uploaded, string RequiresPython, string? MetadataSha256, string LogJson)
{
    public const string ReleaseFile = "releasefile";
    public const string DocZip = "doczip";
}
