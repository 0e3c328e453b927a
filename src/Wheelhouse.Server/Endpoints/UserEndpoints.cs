using System.Text.Json.Nodes;
using Wheelhouse.Core;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Users;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Endpoints;

/// <summary>Users (spec "Endpoints": <c>/</c> and <c>/{u}</c>), through <see cref="UserService"/>.</summary>
public static class UserEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext c, UsersAndIndexes known, IndexViews views) =>
        {
            var result = new JsonObject();
            foreach (var user in known.Users.OrderBy(u => u.Name, StringComparer.Ordinal))
            {
                result[user.Name] = views.UserConfig(user);
            }
            return ApiResponse.Ok(c, "list:userconfig", result);
        });

        app.MapGet("/{user}", (HttpContext c, string user, UsersAndIndexes known, IndexViews views) =>
            known.Find(user) is { } record
                ? ApiResponse.Ok(c, "userconfig", views.UserConfig(record))
                : ApiResponse.Error(c, 404, $"user {user} does not exist"));

        app.MapPut("/{user}", Create);
        app.MapPatch("/{user}", Modify);
        app.MapDelete("/{user}", Delete);
    }

    private static async Task Create(HttpContext c, string user, UserService users, IndexViews views, IDirectoryLogin directory)
    {
        // With a directory, the service asks it whether a name given without a password is a directory user's.
        var outcome = await users.CreateAsync(user, await FieldsAsync(c, requirePassword: !directory.Enabled), c.RequestAborted);
        await Answer.With(c, outcome, record => ApiResponse.Ok(c, "userconfig", views.UserConfig(record), 201, $"user {user} created"));
    }

    private static async Task Modify(HttpContext c, string user, UserService users, IndexViews views, TokenService tokens, Authenticator auth)
    {
        var who = auth.Identify(c.Request).Principal;
        var body = await JsonBody.ReadObjectAsync(c);
        Validated<JsonObject> sent = body.Error is { } error ? new Validated<JsonObject>.Invalid([error]) : new Validated<JsonObject>.Valid(body.Object!);
        var outcome = await users.ModifyAsync(who, user, sent, views.UserConfig, c.RequestAborted);
        await Answer.With(c, outcome, modified => modified.Token is { } token
            ? ApiResponse.Ok(c, "userpassword", new JsonObject
            {
                ["password"] = token,
                ["expiration"] = (long)tokens.Lifetime.TotalSeconds,
            }, message: $"user {user} changed password")
            : ApiResponse.Ok(c, "userconfig", views.UserConfig(modified.User), message: $"user {user} modified"));
    }

    private static async Task Delete(HttpContext c, string user, UserService users, Authenticator auth)
    {
        var outcome = await users.DeleteAsync(auth.Identify(c.Request).Principal, user, c.RequestAborted);
        await Answer.With(c, outcome, message => ApiResponse.Message(c, 200, message));
    }

    private static async Task<Validated<UserFields>> FieldsAsync(HttpContext c, bool requirePassword)
    {
        var body = await JsonBody.ReadObjectAsync(c);
        return body.Error is { } error ? new Validated<UserFields>.Invalid([error]) : UserFields.Parse(body.Object!, requirePassword);
    }
}
