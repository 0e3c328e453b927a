using System.Text.Json.Nodes;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Endpoints;

/// <summary><c>/+status</c> (also the health check) and the <c>+api</c> discovery documents (spec "Endpoints").</summary>
public static class StatusEndpoints
{
    private static readonly string[] Features = ["push-no-docs", "push-only-docs", "push-register-project", "server-keyvalue-parsing"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/+status", (HttpContext context, PackageStore store) =>
            ApiResponse.Ok(context, "status", new JsonObject
            {
                ["serverversion"] = DevpiHeaders.ServerVersion,
                ["serial"] = store.Serial,
                ["uuid"] = store.Uuid,
                ["role"] = "primary",
            }));

        app.MapGet("/+api", (HttpContext c, Authenticator auth, OutsideUrl url) => ApiResponse.Ok(c, "apiconfig", ApiConfig(c, auth, url, null)));
        app.MapGet("/{user}/+api", (HttpContext c, Authenticator auth, OutsideUrl url) => ApiResponse.Ok(c, "apiconfig", ApiConfig(c, auth, url, null)));
        app.MapGet("/{user}/{index}/+api", (HttpContext c, string user, string index, Authenticator auth, OutsideUrl url, UsersAndIndexes known) =>
            known.FindIndex(user, index) is { } entry
                ? ApiResponse.Ok(c, "apiconfig", ApiConfig(c, auth, url, entry))
                : ApiResponse.Error(c, 404, $"index {user}/{index} does not exist"));
    }

    private static JsonObject ApiConfig(HttpContext context, Authenticator auth, OutsideUrl url, IndexEntry? index)
    {
        var root = url.For(context.Request);
        var identity = auth.Identify(context.Request);
        var result = new JsonObject
        {
            ["login"] = root + "/+login",
            ["authstatus"] = identity.User is { } u ? new JsonArray("ok", u, new JsonArray(identity.Principal.Groups.Order(StringComparer.Ordinal).Select(g => (JsonNode)g).ToArray())) : new JsonArray("noauth", "", new JsonArray()),
            ["features"] = new JsonArray(Features.Select(f => (JsonNode?)f).ToArray()),
        };
        if (index is not null)
        {
            result["index"] = $"{root}/{index.IndexPath}";
            result["simpleindex"] = $"{root}/{index.IndexPath}/+simple/";
            if (!index.IsMirror)
            {
                result["pypisubmit"] = $"{root}/{index.IndexPath}/";
            }
        }
        return result;
    }
}
