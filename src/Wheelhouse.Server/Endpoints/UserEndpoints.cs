using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Catalog;
using Wheelhouse.Server.Http;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Endpoints;

/// <summary>Users (spec "Endpoints": <c>/</c> and <c>/{u}</c>): anyone may create a user; the user and root modify or delete it.</summary>
public static class UserEndpoints
{
    private static readonly string[] ProfileKeys = ["email", "title", "description"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext c, UserDirectory users, IndexViews views, PackageStore store) =>
        {
            using var reader = store.Read();
            var result = new JsonObject();
            foreach (var user in users.Users.OrderBy(u => u.Name, StringComparer.Ordinal))
            {
                result[user.Name] = views.UserConfig(user);
            }
            return ApiResponse.Ok(c, "list:userconfig", result);
        });

        app.MapGet("/{user}", (HttpContext c, string user, UserDirectory users, IndexViews views) =>
            users.Find(user) is { } record
                ? ApiResponse.Ok(c, "userconfig", views.UserConfig(record))
                : ApiResponse.Error(c, 404, $"user {user} does not exist"));

        app.MapPut("/{user}", Create);
        app.MapPatch("/{user}", Modify);
        app.MapDelete("/{user}", Delete);
    }

    private static async Task Create(HttpContext c, string user, UserDirectory users, IndexViews views, PasswordHasher hasher, PackageStore store)
    {
        if (!UserName.TryParseNew(user, out _, out var nameError))
        {
            await ApiResponse.Error(c, 400, nameError);
            return;
        }
        var body = await JsonBody.ReadObjectAsync(c);
        if (body.Error is { } error)
        {
            await ApiResponse.Error(c, 400, error);
            return;
        }
        var problems = Validate(body.Object!, requirePassword: true);
        if (problems is not null)
        {
            await ApiResponse.Error(c, 400, problems);
            return;
        }
        if (users.Find(user) is not null)
        {
            await ApiResponse.Error(c, 409, $"user {user} exists");
            return;
        }
        var hash = hasher.Hash((string)body.Object!["password"]!);
        using var work = await store.BeginAsync(c.RequestAborted);
        if (work.Rows.User(user) is not null)
        {
            await ApiResponse.Error(c, 409, $"user {user} exists");
            return;
        }
        var record = new UserRecord(user, hash, Text(body.Object, "email"), Text(body.Object, "title"), Text(body.Object, "description"), DateTimeOffset.UtcNow);
        work.AddUser(record);
        DevpiHeaders.StampSerial(c, work.Commit());
        users.Refresh(work.Rows);
        await ApiResponse.Ok(c, "userconfig", views.UserConfig(record), 201, $"user {user} created");
    }

    private static async Task Modify(HttpContext c, string user, UserDirectory users, IndexViews views, PasswordHasher hasher, TokenService tokens, Authenticator auth, PackageStore store)
    {
        var identity = auth.Identify(c.Request);
        if (await Missing.UserAnsweredAsync(c, users, user))
        {
            return;
        }
        if (await Denied.AnsweredAsync(c, Authorization.Check(identity.Principal, new Permission.ModifyUser(UserName.Parse(user)))))
        {
            return;
        }
        var body = await JsonBody.ReadObjectAsync(c);
        if (body.Error is { } error)
        {
            await ApiResponse.Error(c, 400, error);
            return;
        }
        var problems = new List<string>();
        var changes = ReportedKeys.Without(body.Object!, views.UserConfig(users.Find(user)!), ReportedKeys.User, $"user {user}", problems);
        if (Validate(changes, requirePassword: false) is { } invalid)
        {
            problems.Add(invalid);
        }
        if (problems.Count > 0)
        {
            await ApiResponse.Error(c, 400, string.Join("; ", problems));
            return;
        }
        body = body with { Node = changes };
        var newHash = body.Object!["password"] is { } pw ? hasher.Hash((string)pw!) : null;
        using var work = await store.BeginAsync(c.RequestAborted);
        var record = work.Rows.User(user)!;
        record = record with
        {
            PasswordHash = newHash ?? record.PasswordHash,
            Email = body.Object.ContainsKey("email") ? Text(body.Object, "email") : record.Email,
            Title = body.Object.ContainsKey("title") ? Text(body.Object, "title") : record.Title,
            Description = body.Object.ContainsKey("description") ? Text(body.Object, "description") : record.Description,
        };
        work.ChangeUser(record);
        DevpiHeaders.StampSerial(c, work.Commit());
        users.Refresh(work.Rows);
        if (newHash is not null)
        {
            await ApiResponse.Ok(c, "userpassword", new JsonObject
            {
                ["password"] = tokens.Issue(user, newHash),
                ["expiration"] = (long)tokens.Lifetime.TotalSeconds,
            }, message: $"user {user} changed password");
            return;
        }
        await ApiResponse.Ok(c, "userconfig", views.UserConfig(record), message: $"user {user} modified");
    }

    private static async Task Delete(HttpContext c, string user, UserDirectory users, Authenticator auth, PackageStore store)
    {
        var identity = auth.Identify(c.Request);
        if (await Missing.UserAnsweredAsync(c, users, user))
        {
            return;
        }
        if (await Denied.AnsweredAsync(c, Authorization.Check(identity.Principal, new Permission.DeleteUser(UserName.Parse(user), users.IndexesOf(user).Any(i => !i.Volatile)))))
        {
            return;
        }
        if (user == "root")
        {
            await ApiResponse.Error(c, 403, "the root user cannot be deleted");
            return;
        }
        using var work = await store.BeginAsync(c.RequestAborted);
        work.RemoveUser(user);
        DevpiHeaders.StampSerial(c, work.Commit());
        users.Refresh(work.Rows);
        await ApiResponse.Message(c, 200, $"user {user} deleted");
    }

    private static string? Validate(JsonObject body, bool requirePassword)
    {
        var problems = new List<string>();
        foreach (var (key, value) in body)
        {
            if (key != "password" && !ProfileKeys.Contains(key))
            {
                problems.Add($"unknown key '{key}' (allowed: password, email, title, description)");
            }
            else if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                problems.Add($"'{key}' must be a string");
            }
            else if (((string)v!).Length > 4096)
            {
                problems.Add($"'{key}' is longer than 4096 characters");
            }
        }
        if (requirePassword && body["password"] is not JsonValue)
        {
            problems.Add("a password is required");
        }
        else if (body["password"] is JsonValue p && p.GetValueKind() == JsonValueKind.String && ((string)p!).Length == 0)
        {
            problems.Add("the password must not be empty");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string Text(JsonObject body, string key) => body[key] is JsonValue v ? (string?)v ?? "" : "";
}
