using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Layout;

/// <summary>One step of a <see cref="LayoutPlan"/>. <see cref="Describe"/> is the line <c>--dry-run</c> prints.</summary>
public abstract record LayoutAction
{
    private protected LayoutAction()
    {
    }

    public abstract string Describe();
}

/// <summary>Where a new user's password comes from: exactly one of the two is set.</summary>
public sealed record PasswordSource(string? Hash, string? EnvironmentVariable)
{
    public override string ToString() => EnvironmentVariable is not null ? $"password from ${EnvironmentVariable}" : "password from password_hash";
}

public sealed record CreateUser(UserName User, PasswordSource Password, string? Email, string? Title, string? Description, IReadOnlyList<string> Groups) : LayoutAction
{
    public override string Describe() =>
        $"create user {User} ({Password}{(Groups.Count > 0 ? $", groups: {string.Join(", ", Groups)}" : "")})";
}

/// <summary>Sets the listed fields (<c>email</c>, <c>title</c>, <c>description</c>, <c>groups</c>, <c>password</c>) to the values here.</summary>
public sealed record UpdateUser(
    UserName User, IReadOnlyList<string> ChangedFields, string? Email, string? Title, string? Description, IReadOnlyList<string>? Groups, string? PasswordHash) : LayoutAction
{
    public override string Describe() => $"update user {User}: {string.Join(", ", ChangedFields)}";
}

public sealed record CreateIndex(IndexPath Index, IndexConfig Config) : LayoutAction
{
    public override string Describe() => Config.IsMirror
        ? $"create index {Index} (mirror of {Config.MirrorUrlForDisplay})"
        : $"create index {Index} (stage{(Config.Bases.Count > 0 ? $", bases: {string.Join(", ", Config.Bases)}" : "")}, volatile: {(Config.Volatile ? "yes" : "no")})";
}

/// <summary>Replaces the index config with <see cref="Config"/>; <see cref="ChangedKeys"/> are the devpi keys that differ.</summary>
public sealed record UpdateIndex(IndexPath Index, IndexConfig Config, IReadOnlyList<string> ChangedKeys) : LayoutAction
{
    public override string Describe() => $"update index {Index}: {string.Join(", ", ChangedKeys)}";
}

/// <summary>The ordered steps that turn the current state into the layout; empty when it already matches.</summary>
/// <param name="Unmanaged">Indexes that exist but are not in the layout: left alone, listed for the dry run.</param>
public sealed record LayoutPlan(IReadOnlyList<LayoutAction> Actions, IReadOnlyList<IndexPath> Unmanaged)
{
    public bool IsEmpty => Actions.Count == 0;

    public string Describe() => IsEmpty
        ? "no changes: the server already matches the layout"
        : string.Join('\n', Actions.Select(a => a.Describe()));
}
