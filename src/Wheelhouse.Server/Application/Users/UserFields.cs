using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Core;

namespace Wheelhouse.Server.Application.Users;

/// <summary>
/// What a user PUT or PATCH sets (devpi's userconfig keys): the password and the profile fields. A null field is not
/// being set.
/// </summary>
public sealed record UserFields(string? Password, string? Email, string? Title, string? Description)
{
    private static readonly string[] ProfileKeys = ["email", "title", "description"];

    /// <summary>Every problem of the body at once; <paramref name="requirePassword"/> when creating.</summary>
    public static Validated<UserFields> Parse(JsonObject body, bool requirePassword)
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
        return problems.Count > 0
            ? new Validated<UserFields>.Invalid(problems)
            : new Validated<UserFields>.Valid(new UserFields(Text(body, "password"), Text(body, "email"), Text(body, "title"), Text(body, "description")));
    }

    private static string? Text(JsonObject body, string key) => body.ContainsKey(key) ? (body[key] is JsonValue v ? (string?)v ?? "" : "") : null;
}
