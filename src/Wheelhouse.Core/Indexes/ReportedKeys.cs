using System.Text.Json.Nodes;

namespace Wheelhouse.Core.Indexes;

/// <summary>
/// Keys the server itself reports for a user or an index, which clients send back on PATCH: devpi-client's
/// <c>user -m</c> and <c>passwd</c> PATCH the whole record they read (<c>created</c> included), and its
/// <c>index -m</c> for servers without key=value parsing the whole config. Such a key is accepted when its value is
/// what the server reports, and refused with a clear message when it differs; it never changes anything.
/// </summary>
public static class ReportedKeys
{
    /// <summary>What GET <c>/{user}</c> reports besides the keys a PATCH may change.</summary>
    public static readonly IReadOnlyList<string> User = ["username", "created", "indexes"];

    /// <summary>What GET <c>/{user}/{index}</c> reports besides the config keys.</summary>
    public static readonly IReadOnlyList<string> Index = ["projects"];

    /// <summary>
    /// <paramref name="body"/> without the reported keys; a problem for each reported key whose value differs from
    /// <paramref name="reported"/> (what GET answers for the record, <paramref name="what"/> naming it).
    /// </summary>
    public static JsonObject Without(JsonObject body, JsonObject reported, IReadOnlyList<string> keys, string what, List<string> problems)
    {
        var rest = new JsonObject();
        foreach (var (key, value) in body)
        {
            if (!keys.Contains(key))
            {
                rest[key] = value?.DeepClone();
            }
            else if (!JsonNode.DeepEquals(value, reported[key]))
            {
                var current = reported[key] is JsonValue v ? $" (it is {v.ToJsonString()})" : "";
                problems.Add($"'{key}' cannot be changed: the server reports it for {what}{current}; send it back unchanged or leave it out");
            }
        }
        return rest;
    }
}
