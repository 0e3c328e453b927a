using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Prefetch;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Endpoints;

/// <summary>Index CRUD on <c>/{u}/{i}</c> (spec "Endpoints", "Indexes"), through <see cref="IndexService"/>.</summary>
public static class IndexEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/{user}/{index}", (HttpContext c, string user, string index, IndexService indexes, PrefetchService prefetch) =>
            Answer.With(c, indexes.Describe(user, index, withProjects: !c.Request.Query.ContainsKey("no_projects")),
                described => ApiResponse.Ok(c, "indexconfig", WithPrefetchStatus(IndexViews.IndexConfig(described.Index, described.Projects), prefetch, described.Index))));
        app.MapPut("/{user}/{index}", Create);
        app.MapPatch("/{user}/{index}", Modify);
        app.MapDelete("/{user}/{index}", Delete);
    }

    /// <summary>A mirror that pre-fetches shows its last run (Wheelhouse's <c>prefetch_status</c>; null before the first).</summary>
    private static System.Text.Json.Nodes.JsonObject WithPrefetchStatus(System.Text.Json.Nodes.JsonObject json, PrefetchService prefetch, Application.Indexes.IndexEntry index)
    {
        if (index.IsMirror && index.Config.PrefetchConfigured)
        {
            json["prefetch_status"] = prefetch.StatusOf(index.IndexPath)?.ToJson();
        }
        return json;
    }

    private static async Task Create(HttpContext c, string user, string index, IndexService indexes, Authenticator auth)
    {
        var who = auth.Identify(c.Request).Principal;
        var outcome = await indexes.CreateAsync(who, user, index, await JsonBody.ReadValidatedAsync(c), c.RequestAborted);
        await Answer.With(c, outcome, created =>
            ApiResponse.Ok(c, "indexconfig", IndexViews.IndexConfig(created.Index, null), 200, $"index {user}/{index} created"));
    }

    private static async Task Modify(HttpContext c, string user, string index, IndexService indexes, Authenticator auth)
    {
        var who = auth.Identify(c.Request).Principal;
        var outcome = await indexes.ModifyAsync(who, user, index, await JsonBody.ReadValidatedAsync(c), c.RequestAborted);
        await Answer.With(c, outcome, changed =>
            ApiResponse.Ok(c, "indexconfig", IndexViews.IndexConfig(changed.Index, changed.Projects), message: $"index {changed.Index.IndexPath} modified"));
    }

    private static async Task Delete(HttpContext c, string user, string index, IndexService indexes, Authenticator auth)
    {
        var outcome = await indexes.DeleteAsync(auth.Identify(c.Request).Principal, user, index, c.RequestAborted);
        await Answer.With(c, outcome, deleted => ApiResponse.Message(c, 201, $"index {deleted.IndexPath} deleted"));
    }
}
