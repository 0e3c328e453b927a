using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Endpoints;

/// <summary><c>POST /+login</c>: trades a password (or a still valid token) for a new expiring token (spec "Authentication").</summary>
public static class LoginEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapPost("/+login", async (HttpContext context, UsersAndIndexes users, PasswordHasher hasher, TokenService tokens, LoginThrottle throttle,
            ClientAddress addresses) =>
        {
            var body = await JsonBody.ReadObjectAsync(context);
            if (body.Error is { } error)
            {
                await ApiResponse.Error(context, 400, error);
                return;
            }
            var name = body.Object!["user"] is JsonValue u && u.GetValueKind() == JsonValueKind.String ? (string)u! : null;
            var password = body.Object["password"] is JsonValue p && p.GetValueKind() == JsonValueKind.String ? (string)p! : null;
            RefusalLog.NoteUser(context, name);
            var client = addresses.Of(context);
            if (throttle.RetryAfter(name, client) is { } wait)
            {
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ApiResponse.Error(context, 429, $"too many failed log-ins for this user or from this address; try again in {seconds} seconds");
                return;
            }
            var user = name is null ? null : users.Find(name);
            if (user is null || password is null
                || !(tokens.Validate(user.Name, user.PasswordHash, password) || hasher.Verify(user.Name, password, user.PasswordHash)))
            {
                throttle.Failed(name, client);
                await ApiResponse.Error(context, 401, "user could not be authenticated");
                return;
            }
            throttle.Succeeded(user.Name);
            await ApiResponse.Ok(context, "proxyauth", new JsonObject
            {
                ["password"] = tokens.Issue(user.Name, user.PasswordHash),
                ["expiration"] = (long)tokens.Lifetime.TotalSeconds,
            }, message: "login successful");
        });
}
