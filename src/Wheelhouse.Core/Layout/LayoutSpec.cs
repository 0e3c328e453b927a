using System.Text.Json.Nodes;

namespace Wheelhouse.Core.Layout;

/// <summary>
/// A team layout as written in a layout file, before validation: the users and indexes that should exist. Each
/// entry carries its <c>Location</c> in the file ("line 12") so every problem can point at it.
/// </summary>
public sealed record LayoutSpec(IReadOnlyList<LayoutUserSpec> Users, IReadOnlyList<LayoutIndexSpec> Indexes);

/// <summary>
/// A user the layout manages. Fields left null are not managed (a user's own e-mail stays theirs); a password is
/// only set when the user is created, from <see cref="PasswordEnv"/> (an environment variable of the process that
/// applies the layout) or <see cref="PasswordHash"/> (the server's stored hash format).
/// </summary>
public sealed record LayoutUserSpec(string Name, string Location)
{
    public string? PasswordHash { get; init; }

    public string? PasswordEnv { get; init; }

    public string? Email { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>Group names (without the ':'), or null to leave the user's groups alone.</summary>
    public IReadOnlyList<string>? Groups { get; init; }
}

/// <summary>An index the layout manages, its config in devpi's JSON shape (as a PUT body): keys not given take their defaults.</summary>
public sealed record LayoutIndexSpec(string Path, JsonObject Config, string Location);
