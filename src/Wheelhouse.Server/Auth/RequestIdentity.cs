using Wheelhouse.Core.Security;

namespace Wheelhouse.Server.Auth;

/// <summary>Who made a request (Core's principal) and whether credentials were sent at all.</summary>
public sealed record RequestIdentity(Principal Principal, bool SentCredentials)
{
    public static readonly RequestIdentity Anonymous = new(Principal.Anonymous, false);

    public string? User => Principal.User?.Value;

    public bool IsAuthenticated => Principal.IsAuthenticated;

    public bool IsRoot => Principal.IsRoot;
}
