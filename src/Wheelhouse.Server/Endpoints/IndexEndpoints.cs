using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Http;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Endpoints;

/// <summary>Index CRUD on <c>/{u}/{i}</c> (spec "Endpoints", "Indexes"): the user and root create, root and the owner change or delete.</summary>
public static class IndexEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/{user}/{index}", (HttpContext c, string user, string index, UserDirectory directory, PackageStore store) =>
        {
            if (directory.FindIndex(user, index) is not { } entry)
            {
                return ApiResponse.Error(c, 404, $"index {user}/{index} does not exist");
            }
            using var reader = c.Request.Query.ContainsKey("no_projects") ? null : store.Read();
            return ApiResponse.Ok(c, "indexconfig", IndexViews.IndexConfig(entry, reader));
        });
        app.MapPut("/{user}/{index}", Create);
        app.MapPatch("/{user}/{index}", Modify);
        app.MapDelete("/{user}/{index}", Delete);
    }

    private static async Task Create(HttpContext c, string user, string index, UserDirectory directory, Authenticator auth, PackageStore store)
    {
        var identity = auth.Identify(c.Request);
        if (await Missing.UserAnsweredAsync(c, directory, user))
        {
            return;
        }
        if (await Denied.AnsweredAsync(c, Authorization.Check(identity.Principal, new Permission.CreateIndex(UserName.Parse(user)))))
        {
            return;
        }
        if (!IndexPath.TryParse($"{user}/{index}", out var path, out var nameError) || !IndexName.TryParseNew(index, out _, out nameError))
        {
            await ApiResponse.Error(c, 400, nameError);
            return;
        }
        var body = await JsonBody.ReadAsync(c);
        if (body.Error is not null || body.Node is not (null or JsonObject))
        {
            await ApiResponse.Error(c, 400, body.Error ?? "index config must be a JSON object");
            return;
        }
        if (directory.FindIndex(user, index) is not null)
        {
            await ApiResponse.Error(c, 409, $"index {user}/{index} exists");
            return;
        }
        if (!IndexConfigRules.Create(path, body.Object, directory.IndexExists).IsValid(out var config, out var invalid))
        {
            await ApiResponse.Error(c, 400, invalid.Message);
            return;
        }
        using var work = await store.BeginAsync(c.RequestAborted);
        if (work.Rows.Indexes().Any(i => i.User == user && i.Name == index))
        {
            await ApiResponse.Error(c, 409, $"index {user}/{index} exists");
            return;
        }
        work.AddIndex(new IndexRecord(user, index, IndexEntry.ToStored(config)));
        DevpiHeaders.StampSerial(c, work.Commit());
        directory.Refresh(work.Rows);
        await ApiResponse.Ok(c, "indexconfig", IndexViews.IndexConfig(directory.FindIndex(user, index)!, null), 200, $"index {user}/{index} created");
    }

    private static async Task Modify(HttpContext c, string user, string index, UserDirectory directory, Authenticator auth, PackageStore store)
    {
        if (await Missing.IndexAnsweredAsync(c, directory, user, index) is not { } entry)
        {
            return;
        }
        var identity = auth.Identify(c.Request);
        if (await Denied.AnsweredAsync(c, Authorization.Check(identity.Principal, new Permission.ModifyIndex(entry.IndexPath))))
        {
            return;
        }
        var body = await JsonBody.ReadAsync(c);
        if (body.Error is not null || body.Node is not (JsonObject or JsonArray))
        {
            await ApiResponse.Error(c, 400, body.Error ?? "PATCH body must be a JSON object or a list of \"key=value\" strings");
            return;
        }
        var problems = new List<string>();
        if (body.Node is JsonObject dict && dict.ContainsKey("projects"))
        {
            using var reader = store.Read();
            dict = ReportedKeys.Without(dict, IndexViews.IndexConfig(entry, reader), ReportedKeys.Index, $"index {entry.Path}", problems);
            body = body with { Node = dict };
        }
        var patched = IndexConfigRules.Patch(entry.IndexPath, entry.Config, body.Node, directory.IndexExists);
        if (!patched.IsValid(out var config, out var invalid))
        {
            problems.Add(invalid.Message);
        }
        if (problems.Count > 0 || config is null)
        {
            await ApiResponse.Error(c, 400, string.Join("; ", problems));
            return;
        }
        using var work = await store.BeginAsync(c.RequestAborted);
        work.ChangeIndex(entry.Record with { ConfigJson = IndexEntry.ToStored(config) });
        DevpiHeaders.StampSerial(c, work.Commit());
        directory.Refresh(work.Rows);
        await ApiResponse.Ok(c, "indexconfig", IndexViews.IndexConfig(directory.FindIndex(user, index)!, work.Rows), message: $"index {entry.Path} modified");
    }

    private static async Task Delete(HttpContext c, string user, string index, UserDirectory directory, Authenticator auth, PackageStore store)
    {
        if (await Missing.IndexAnsweredAsync(c, directory, user, index) is not { } entry)
        {
            return;
        }
        var identity = auth.Identify(c.Request);
        if (await Denied.AnsweredAsync(c, Authorization.Check(identity.Principal, new Permission.DeleteIndex(entry.IndexPath, entry.Config))))
        {
            return;
        }
        using var work = await store.BeginAsync(c.RequestAborted);
        work.RemoveIndex(user, index);
        DevpiHeaders.StampSerial(c, work.Commit());
        directory.Refresh(work.Rows);
        await ApiResponse.Message(c, 201, $"index {entry.Path} deleted");
    }
}
