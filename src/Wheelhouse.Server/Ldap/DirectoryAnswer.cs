namespace Wheelhouse.Server.Ldap;

/// <summary>
/// What the directory said. <see cref="Refused"/> covers an unknown user and a wrong password alike, so that no
/// answer tells the two apart.
/// </summary>
public sealed record DirectoryAnswer
{
    public static readonly DirectoryAnswer Refused = new() { Kind = DirectoryAnswerKind.Refused };

    public required DirectoryAnswerKind Kind { get; init; }

    /// <summary>The user's DN (<see cref="DirectoryAnswerKind.Accepted"/> and <see cref="DirectoryAnswerKind.Known"/>).</summary>
    public string? Dn { get; init; }

    /// <summary>The user's groups, sorted (<see cref="DirectoryAnswerKind.Accepted"/>).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Why the directory could not answer (<see cref="DirectoryAnswerKind.Unavailable"/>); safe to show the client.</summary>
    public string? Reason { get; init; }

    public static DirectoryAnswer Accepted(string dn, IEnumerable<string> groups) =>
        new() { Kind = DirectoryAnswerKind.Accepted, Dn = dn, Groups = [.. groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] };

    public static DirectoryAnswer Known(string dn) => new() { Kind = DirectoryAnswerKind.Known, Dn = dn };

    public static DirectoryAnswer Unavailable(string reason) => new() { Kind = DirectoryAnswerKind.Unavailable, Reason = reason };
}

public enum DirectoryAnswerKind
{
    /// <summary>The password binds: the user is logged in.</summary>
    Accepted,

    /// <summary>The directory knows the user (no password was checked).</summary>
    Known,

    /// <summary>Unknown user, wrong or empty password, or no directory configured.</summary>
    Refused,

    /// <summary>No server answered within the timeout.</summary>
    Unavailable,
}

/// <summary>Thrown where a request cannot be identified because the directory is unreachable; answered as 503.</summary>
public sealed class DirectoryUnavailableException(string reason) : Exception(reason);
