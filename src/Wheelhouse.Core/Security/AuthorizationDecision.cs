namespace Wheelhouse.Core.Security;

/// <summary>
/// Allowed, or denied with a reason. <see cref="NeedsAuthentication"/> marks denials an anonymous caller might
/// overcome by logging in (the HTTP edge answers 401 with a challenge for those, 403 otherwise).
/// </summary>
public sealed record AuthorizationDecision(bool Allowed, string? Reason, bool NeedsAuthentication)
{
    public static readonly AuthorizationDecision Allow = new(true, null, false);

    public static AuthorizationDecision Deny(Principal principal, string reason) => new(false, reason, !principal.IsAuthenticated);
}
