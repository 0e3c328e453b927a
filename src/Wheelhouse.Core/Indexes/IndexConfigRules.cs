using System.Text.Json.Nodes;

namespace Wheelhouse.Core.Indexes;

/// <summary>
/// Creating and changing an index config as the devpi protocol defines it: PUT with a JSON object (type defaults
/// to <c>stage</c>), PATCH with a dict merged into the config or a list of <c>k=v</c>, <c>k+=v</c>, <c>k-=v</c>,
/// <c>k-=</c> operations. Every problem is reported at once and nothing is changed when there is one.
/// </summary>
/// <remarks>
/// Operations: <c>k=v</c> sets (lists and booleans in their string forms); <c>k+=v</c> appends to a list unless
/// already there; <c>k-=v</c> removes from a list (an error when absent); <c>k-=</c> resets the key to its
/// default (or removes an optional one). A JSON <c>null</c> in a dict does the same as <c>k-=</c>. The
/// <c>projects</c> key that GET answers is ignored on input, and a masked <c>mirror_url</c> sent back unchanged
/// keeps the stored credentials.
/// </remarks>
public static class IndexConfigRules
{
    /// <param name="exists">Whether an index exists (for <c>bases</c>).</param>
    public static Validated<IndexConfig> Create(IndexPath path, JsonObject? body, Func<IndexPath, bool> exists) =>
        Create(path, body, exists, stored: false);

    /// <summary>Reads a stored config: the rules of <see cref="Create(IndexPath, JsonObject?, Func{IndexPath, bool})"/>, except that an unusable <c>mirror_url</c> is kept.</summary>
    /// <summary>
    /// A config another server exported (devpi's <c>indexconfig</c>): the stored rules, so keys of plugins we do not have
    /// are kept and a base missing from the export is not an error, as devpi's own import treats them.
    /// </summary>
    public static Validated<IndexConfig> Imported(IndexPath path, JsonObject config) => ReadStored(path, config);

    internal static Validated<IndexConfig> ReadStored(IndexPath path, JsonObject stored) => Create(path, stored, _ => true, stored: true);

    private static Validated<IndexConfig> Create(IndexPath path, JsonObject? body, Func<IndexPath, bool> exists, bool stored)
    {
        var draft = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in body ?? [])
        {
            if (key != "projects" && value is not null)
            {
                draft[key] = value.DeepClone();
            }
        }
        return IndexConfigBuilder.Build(path, draft, exists, current: null, [], stored);
    }

    public static Validated<IndexConfig> Patch(IndexPath path, IndexConfig current, JsonNode? body, Func<IndexPath, bool> exists)
    {
        var problems = new List<string>();
        var draft = IndexConfigJson.ToJson(current, forDisplay: false).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        switch (body)
        {
            case JsonObject dict:
                foreach (var (key, value) in dict)
                {
                    if (key == "projects" || (key == "mirror_url" && value?.ToString() == current.MirrorUrlForDisplay))
                    {
                        continue;
                    }
                    if (value is null)
                    {
                        draft.Remove(key);
                    }
                    else
                    {
                        draft[key] = value.DeepClone();
                    }
                }
                break;
            case JsonArray operations:
                foreach (var operation in operations)
                {
                    if (operation is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        Apply(draft, text, current, problems);
                    }
                    else
                    {
                        problems.Add($"PATCH list items must be strings like \"key=value\", got {JsonCoercion.Describe(operation)}");
                    }
                }
                break;
            default:
                problems.Add("PATCH body must be a JSON object or a list of \"key=value\", \"key+=value\", \"key-=value\" strings");
                break;
        }
        var currentType = current.IsMirror ? "mirror" : "stage";
        if (draft.TryGetValue("type", out var type) && type?.ToString() != currentType)
        {
            problems.Add("the 'type' of an index can't be changed");
            draft["type"] = currentType;
        }
        return IndexConfigBuilder.Build(path, draft, exists, current, problems);
    }

    private static void Apply(Dictionary<string, JsonNode?> draft, string operation, IndexConfig current, List<string> problems)
    {
        var eq = operation.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            problems.Add($"couldn't parse '{operation}': expected key=value, key+=value, key-=value or key-=");
            return;
        }
        var key = operation[..eq].Trim();
        var value = operation[(eq + 1)..];
        var op = key[^1] is '+' or '-' ? key[^1] : '=';
        if (op != '=')
        {
            key = key[..^1].Trim();
        }
        if (op == '=')
        {
            draft[key] = value;
            return;
        }
        if (op == '-' && value.Length == 0)
        {
            draft.Remove(key);
            return;
        }
        if (!IndexConfigKeys.Lists.Contains(key) || !IndexConfigKeys.For(current.Type).Contains(key))
        {
            problems.Add($"'{key}' is not a list setting of this index, so '{key}{op}=' cannot be used; use {key}=value");
            return;
        }
        var (existing, error) = draft.TryGetValue(key, out var node) ? JsonCoercion.List(key, node) : ([], null);
        if (error is not null)
        {
            problems.Add(error);
            return;
        }
        var list = existing!.ToList();
        foreach (var item in JsonCoercion.SplitCommas(value))
        {
            var index = list.FindIndex(x => SameItem(key, x, item));
            if (op == '+' && index < 0)
            {
                list.Add(item);
            }
            else if (op == '-' && index >= 0)
            {
                list.RemoveAt(index);
            }
            else if (op == '-')
            {
                problems.Add($"The '{key}' setting doesn't have value '{item}'");
            }
        }
        draft[key] = new JsonArray(list.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
    }

    private static bool SameItem(string key, string a, string b) => key switch
    {
        "mirror_whitelist" => Packages.ProjectName.Normalize(a) == Packages.ProjectName.Normalize(b),
        "bases" => a.Trim('/') == b.Trim('/'),
        _ => string.Equals(a, b, a.StartsWith(':') ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal),
    };
}
