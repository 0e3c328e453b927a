using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wheelhouse.Server.Catalog;

/// <summary>
/// Index config create and PATCH with devpi's validation (spec "Indexes"): unknown keys name themselves, lists accept
/// arrays or comma-separated strings, booleans accept true/false/yes/no, bases must exist, type never changes.
/// </summary>
public static class IndexConfigEditing
{
    public sealed record Result(JsonObject? Config, string? Error);

    private static readonly string[] StageKeys =
        ["type", "bases", "volatile", "acl_upload", "acl_toxresult_upload", "mirror_whitelist", "mirror_whitelist_inheritance",
         "title", "description", "custom_data", IndexEntry.RefusePreReleasesKey];

    private static readonly string[] MirrorKeys =
        ["type", "mirror_url", "mirror_web_url_fmt", "mirror_cache_expiry", "volatile", "title", "description", "custom_data"];

    private static readonly string[] ListKeys = ["bases", "acl_upload", "acl_toxresult_upload", "mirror_whitelist"];

    public static Result Create(string owner, JsonObject body, UserDirectory directory, string? selfPath = null)
    {
        var type = body["type"] is JsonValue t ? t.ToString() : "stage";
        if (type is not ("stage" or "mirror"))
        {
            return new Result(null, $"unknown index type '{type}'; use stage or mirror");
        }
        var allowed = type == "stage" ? StageKeys : MirrorKeys;
        var unknown = body.Select(p => p.Key).Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            return new Result(null, $"unknown keys for a {type} index: {string.Join(", ", unknown)}");
        }
        var problems = new List<string>();
        var config = new JsonObject { ["type"] = type };
        config["volatile"] = Bool(body, "volatile", true, problems);
        config["title"] = Text(body, "title", problems);
        config["description"] = Text(body, "description", problems);
        if (body["custom_data"] is { } custom)
        {
            config["custom_data"] = custom.DeepClone();
        }
        if (type == "mirror")
        {
            var url = Text(body, "mirror_url", problems);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                problems.Add($"mirror_url '{url}' must be an absolute http(s) URL of a simple index");
            }
            config["mirror_url"] = url;
            config["mirror_web_url_fmt"] = Text(body, "mirror_web_url_fmt", problems);
            var expiry = body["mirror_cache_expiry"] is { } e ? e.ToString() : "1800";
            if (!int.TryParse(expiry, out var seconds) || seconds < 0)
            {
                problems.Add($"mirror_cache_expiry '{expiry}' must be a number of seconds");
            }
            config["mirror_cache_expiry"] = seconds;
        }
        else
        {
            var bases = List(body, "bases", [], problems);
            foreach (var b in bases)
            {
                var slash = b.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || b == selfPath || directory.FindIndex(b[..slash], b[(slash + 1)..]) is null)
                {
                    problems.Add(b == selfPath ? $"index cannot be its own base: {b}" : $"base index {b} does not exist");
                }
            }
            config["bases"] = Array(bases);
            config["acl_upload"] = Array(List(body, "acl_upload", [owner], problems));
            config["acl_toxresult_upload"] = Array(List(body, "acl_toxresult_upload", [":ANONYMOUS:"], problems));
            config["mirror_whitelist"] = Array(List(body, "mirror_whitelist", [], problems));
            var inheritance = body["mirror_whitelist_inheritance"] is JsonValue m ? m.ToString() : "intersection";
            if (inheritance is not ("intersection" or "union"))
            {
                problems.Add($"mirror_whitelist_inheritance '{inheritance}' must be intersection or union");
            }
            config["mirror_whitelist_inheritance"] = inheritance;
            config[IndexEntry.RefusePreReleasesKey] = Bool(body, IndexEntry.RefusePreReleasesKey, false, problems);
        }
        return problems.Count > 0 ? new Result(null, string.Join("; ", problems)) : new Result(config, null);
    }

    /// <summary>Applies a dict merge or a list of <c>k=v</c>, <c>k+=v</c>, <c>k-=v</c>, <c>k-=</c> to an index's config.</summary>
    public static Result Patch(IndexEntry index, JsonNode patch, UserDirectory directory)
    {
        var merged = (JsonObject)index.Config.DeepClone();
        if (patch is JsonObject dict)
        {
            foreach (var (key, value) in dict)
            {
                merged[key] = value?.DeepClone();
            }
        }
        else
        {
            foreach (var item in (JsonArray)patch)
            {
                if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                {
                    return new Result(null, "each PATCH list item must be a string such as \"key=value\"");
                }
                if (ApplyOperation(merged, (string)v!) is { } error)
                {
                    return new Result(null, error);
                }
            }
        }
        if (merged["type"]?.ToString() != index.Config["type"]?.ToString())
        {
            return new Result(null, "type can't be changed");
        }
        return Create(index.User, merged, directory, index.Path);
    }

    private static string? ApplyOperation(JsonObject config, string op)
    {
        var eq = op.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return $"cannot parse '{op}': expected key=value, key+=value or key-=value";
        }
        var key = op[..eq];
        var value = op[(eq + 1)..];
        var mode = key[^1] is '+' or '-' ? key[^1] : '=';
        key = mode == '=' ? key : key[..^1];
        if (mode == '=')
        {
            config[key] = ListKeys.Contains(key) ? Array(Split(value)) : value;
            return null;
        }
        if (!ListKeys.Contains(key))
        {
            return $"'{key}' is not a list; use {key}=value";
        }
        var list = (config[key] as JsonArray)?.Select(n => n?.ToString() ?? "").ToList() ?? [];
        if (mode == '+')
        {
            list.AddRange(Split(value).Where(x => !list.Contains(x)));
        }
        else if (value.Length == 0)
        {
            list.Clear();
        }
        else
        {
            list.RemoveAll(Split(value).Contains);
        }
        config[key] = Array(list);
        return null;
    }

    private static string[] Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    private static List<string> List(JsonObject body, string key, List<string> fallback, List<string> problems) => body[key] switch
    {
        null => fallback,
        JsonArray a when a.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String) => a.Select(n => (string)n!).Where(s => s.Length > 0).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Split((string)v!).ToList(),
        _ => Problem(problems, $"'{key}' must be a list of strings or a comma-separated string", fallback),
    };

    private static bool Bool(JsonObject body, string key, bool fallback, List<string> problems) => body[key] switch
    {
        null => fallback,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => (bool)v,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && ((string)v!).ToLowerInvariant() is "true" or "yes" or "1" => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && ((string)v!).ToLowerInvariant() is "false" or "no" or "0" => false,
        _ => Problem(problems, $"'{key}' must be true or false (or yes/no)", fallback),
    };

    private static string Text(JsonObject body, string key, List<string> problems) => body[key] switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (string)v!,
        _ => Problem(problems, $"'{key}' must be a string", ""),
    };

    private static T Problem<T>(List<string> problems, string message, T fallback)
    {
        problems.Add(message);
        return fallback;
    }
}
