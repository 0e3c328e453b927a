using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Http;

namespace Wheelhouse.Server.Endpoints;

/// <summary><c>POST /+login</c>: trades a password (or a still valid token) for a new expiring token (spec "Authentication").</summary>
public static class LoginEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapPost("/+login", async (HttpContext context, Authenticator auth, TokenService tokens, LoginThrottle throttle, ClientAddress addresses,
            PasswordRehash rehash) =>
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
            if (name is null || password is null)
            {
                // A malformed request, not a guess: as devpi, 400, and not counted against the name or the address.
                await ApiResponse.Error(context, 400, """a log-in is {"user": NAME, "password": PASSWORD or a token}, both strings""");
                return;
            }
            var result = auth.Authenticate(name, password, client);
            if (result.RetryAfter is { } wait)
            {
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ApiResponse.Error(context, 429, $"too many failed log-ins for this user or from this address; try again in {seconds} seconds");
                return;
            }
            if (result.Unavailable is { } reason)
            {
                await ApiResponse.Error(context, 503, reason);
                return;
            }
            if (!result.Accepted)
            {
                await ApiResponse.Error(context, 401, "user could not be authenticated");
                return;
            }
            result = await rehash.AfterLoginAsync(result, name, password, context.RequestAborted);
            await ApiResponse.Ok(context, "proxyauth", new JsonObject
            {
                ["password"] = auth.IssueToken(result),
                ["expiration"] = (long)tokens.Lifetime.TotalSeconds,
            }, message: "login successful");
        });
}
