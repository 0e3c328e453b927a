using Wheelhouse.Core.Security;

namespace Wheelhouse.Server.Http;

/// <summary>Maps Core's refusals to HTTP: 401 when logging in could help, 403 otherwise (spec "Authentication").</summary>
public static class Denied
{
    public static Task Answer(HttpContext context, AuthorizationDecision decision) =>
        ApiResponse.Error(context, decision.NeedsAuthentication ? 401 : 403, decision.Reason ?? "not allowed");

    /// <summary>Answers the refusal when <paramref name="decision"/> refuses; true when it did, and the endpoint is done.</summary>
    public static async Task<bool> AnsweredAsync(HttpContext context, AuthorizationDecision decision)
    {
        if (decision.Allowed)
        {
            return false;
        }
        await Answer(context, decision);
        return true;
    }
}
