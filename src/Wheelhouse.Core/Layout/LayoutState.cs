using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Layout;

/// <summary>What a server holds now, as plain data for <see cref="LayoutPlanner"/>.</summary>
public sealed record LayoutState(IReadOnlyDictionary<UserName, CurrentUser> Users, IReadOnlyDictionary<IndexPath, IndexConfig> Indexes)
{
    /// <summary>A server with nothing in it. <c>root</c> counts as existing anyway: every server creates it at first start.</summary>
    public static readonly LayoutState Empty = new(new Dictionary<UserName, CurrentUser>(), new Dictionary<IndexPath, IndexConfig>());
}

/// <param name="PasswordHash">The stored hash, when the caller is willing to compare it with a layout's <c>password_hash</c>.</param>
public sealed record CurrentUser(string? Email, string? Title, string? Description, IReadOnlyList<string> Groups, string? PasswordHash = null);
