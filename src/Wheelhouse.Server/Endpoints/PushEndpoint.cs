using Wheelhouse.Core;
using Wheelhouse.Server.Application.Push;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>POST</c> (with a JSON body) or <c>PUSH</c> on <c>/{u}/{i}</c>: devpi's push (spec "Push"), through
/// <see cref="PushService"/>.
/// </summary>
public static class PushEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapMethods("/{user}/{index}", ["PUSH"], (HttpContext c, string user, string index, Authenticator auth, PushService push) =>
            HandleAsync(c, user, index, auth, push));

    /// <summary>A POST on an index is a push when its body is JSON (uploads are multipart).</summary>
    public static bool IsPush(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static async Task HandleAsync(HttpContext c, string user, string index, Authenticator auth, PushService push)
    {
        var request = await ReadRequestAsync(c);
        var outcome = await push.PushAsync(auth.Identify(c.Request).Principal, user, index, request, c.RequestAborted);
        await Answer.With(c, outcome, receipt => ApiResponse.Ok(c, "actionlog", IndexViews.ActionLog(receipt)));
    }

    private static async Task<Validated<PushRequest>> ReadRequestAsync(HttpContext c)
    {
        var body = await JsonBody.ReadObjectAsync(c);
        if (body.Object is not { } json)
        {
            return new Validated<PushRequest>.Invalid([body.Error ?? "push needs a JSON object with name, version and targetindex"]);
        }
        if (!json.ContainsKey("name") && !json.ContainsKey("version") && !json.ContainsKey("targetindex"))
        {
            return new Validated<PushRequest>.Invalid(["a JSON POST on an index is a push and needs name, version and targetindex; "
                + "uploads are sent as multipart/form-data"]);
        }
        return PushRequest.Parse(json);
    }
}
