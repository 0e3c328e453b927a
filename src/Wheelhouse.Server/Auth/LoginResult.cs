using Wheelhouse.Core.Security;

namespace Wheelhouse.Server.Auth;

/// <summary>The outcome of checking a name and a password or token.</summary>
/// <param name="Principal">Who logged in; anonymous when refused.</param>
/// <param name="TokenKey">What a new token is bound to (the local password hash, or the directory's stand-in).</param>
/// <param name="DirectoryGroups">The directory's groups, when the directory accepted the log-in (carried in its tokens).</param>
/// <param name="Unavailable">Why the directory could not be asked (then the log-in is neither accepted nor refused).</param>
public sealed record LoginResult(Principal Principal, string? TokenKey, IReadOnlyList<string>? DirectoryGroups, string? Unavailable)
{
    public static readonly LoginResult Refused = new(Principal.Anonymous, null, null, null);

    public bool Accepted => Principal.IsAuthenticated;

    /// <summary>Set when too many log-ins failed: not even checked, try again after this.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
