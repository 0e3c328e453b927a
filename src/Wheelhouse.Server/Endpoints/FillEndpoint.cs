using System.Text.Json.Nodes;
using Wheelhouse.Core;
using Wheelhouse.Server.Application.Fill;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Endpoints;

/// <summary>
/// <c>POST /{user}/{index}/+fill</c> (JSON): copies files downloaded through another index into this one
/// (<see cref="FillService"/>); what <c>wheelhouse-server fill</c> calls once pip has resolved and downloaded.
/// Answers <c>{"type": "fill", "result": {"from", "target", "dry_run", "copied": [{filename, sha256, url}], "present": [filename], "prefetching": N}}</c>.
/// </summary>
public static class FillEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapPost("/{user}/{index}/+fill", async (HttpContext c, string user, string index, Authenticator auth, FillService fill) =>
        {
            var body = await JsonBody.ReadObjectAsync(c);
            var request = body.Object is { } json
                ? FillRequest.Parse(json)
                : new Validated<FillRequest>.Invalid([body.Error ?? "fill needs a JSON object with from and files"]);
            var outcome = await fill.FillAsync(auth.Identify(c.Request).Principal, user, index, request, c.RequestAborted);
            await Answer.With(c, outcome, receipt => ApiResponse.Ok(c, "fill", new JsonObject
            {
                ["from"] = receipt.Source.IndexPath.ToString(),
                ["target"] = receipt.Target.IndexPath.ToString(),
                ["dry_run"] = receipt.DryRun,
                ["copied"] = new JsonArray(receipt.Copied.Select(f => (JsonNode)new JsonObject
                {
                    ["filename"] = f.FileName,
                    ["sha256"] = f.Sha256,
                    ["url"] = IndexViews.FileUrl(f),
                }).ToArray()),
                ["present"] = new JsonArray(receipt.Present.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
                ["prefetching"] = receipt.Prefetching,
            }));
        });
}
