using Wheelhouse.Core.Security;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Push;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>POST</c> (with a JSON body) or <c>PUSH</c> on <c>/{u}/{i}</c>: devpi's push (spec "Push"). Needs read on the source
/// (everyone may read) and upload on the target; without that right the answer is 401, as devpi's.
/// </summary>
public static class PushEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapMethods("/{user}/{index}", ["PUSH"], (HttpContext c, string user, string index, UserDirectory directory, Authenticator auth, ReleasePusher pusher) =>
            HandleAsync(c, user, index, directory, auth, pusher));

    /// <summary>A POST on an index is a push when its body is JSON (uploads are multipart).</summary>
    public static bool IsPush(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static async Task HandleAsync(HttpContext c, string user, string index, UserDirectory directory, Authenticator auth, ReleasePusher pusher)
    {
        if (await Missing.IndexAnsweredAsync(c, directory, user, index) is not { } source)
        {
            return;
        }
        var body = await JsonBody.ReadObjectAsync(c);
        if (body.Object is not { } json)
        {
            await ApiResponse.Error(c, 400, body.Error ?? "push needs a JSON object with name, version and targetindex");
            return;
        }
        if (!json.ContainsKey("name") && !json.ContainsKey("version") && !json.ContainsKey("targetindex"))
        {
            await ApiResponse.Error(c, 400, "a JSON POST on an index is a push and needs name, version and targetindex; "
                + "uploads are sent as multipart/form-data");
            return;
        }
        if (!PushRequest.Parse(json).IsValid(out var request, out var invalid))
        {
            await ApiResponse.Error(c, 400, invalid.Message);
            return;
        }
        if (directory.FindIndex(request.Target) is not { } target)
        {
            await ApiResponse.Error(c, 400, $"target index {request.Target} does not exist");
            return;
        }
        if (target.IsMirror)
        {
            await ApiResponse.Error(c, 400, $"cannot push to mirror index {target.Path}");
            return;
        }
        var identity = auth.Identify(c.Request);
        var decision = Authorization.CanUpload(target.IndexPath, target.Config, identity.Principal);
        if (!decision.Allowed || identity.User is not { } who)
        {
            await ApiResponse.Error(c, 401, identity.IsAuthenticated
                ? $"user {identity.User} may not upload to {target.Path}, so may not push into it"
                : $"authentication required to push into {target.Path}");
            return;
        }
        var outcome = await pusher.PushAsync(source, target, request, who, c.RequestAborted);
        if (outcome.Serial is { } serial)
        {
            DevpiHeaders.StampSerial(c, serial);
        }
        if (outcome.Status != 200)
        {
            await ApiResponse.Error(c, outcome.Status, outcome.Message);
            return;
        }
        await ApiResponse.Ok(c, "actionlog", outcome.ActionLog);
    }
}
