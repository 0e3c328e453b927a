using Wheelhouse.Server.Application.Prefetch;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>POST /{user}/{index}/+prefetch</c>: run a mirror's pre-fetch now (whoever may modify the index) and answer its
/// status, as <c>prefetch_status</c> in the index's JSON view shows it.
/// </summary>
public static class PrefetchEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapPost("/{user}/{index}/+prefetch", async (HttpContext c, string user, string index, Authenticator auth, PrefetchService prefetch) =>
            await Answer.With(c, await prefetch.RunNowAsync(auth.Identify(c.Request).Principal, user, index, c.RequestAborted),
                status => ApiResponse.Ok(c, "prefetch_status", status.ToJson())));
}
