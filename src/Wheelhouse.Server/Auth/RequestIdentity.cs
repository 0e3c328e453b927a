namespace Wheelhouse.Server.Auth;

/// <summary>Who made a request: a user who proved it (token or password), or anonymous.</summary>
public sealed record RequestIdentity(string? User, bool SentCredentials)
{
    public static readonly RequestIdentity Anonymous = new(null, false);

    public bool IsAuthenticated => User is not null;

    public bool IsRoot => User == "root";
}
