namespace Wheelhouse.Storage;

/// <summary>A user row; the password is only ever stored as a hash.</summary>
public sealed record UserRecord(string Name, string PasswordHash, string Email, string Title, string Description, DateTimeOffset Created)
{
    /// <summary>The groups a <c>:group</c> ACL entry matches (local users get them from a layout file).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
}
