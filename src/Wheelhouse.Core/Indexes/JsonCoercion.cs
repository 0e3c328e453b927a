using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wheelhouse.Core.Indexes;

/// <summary>
/// devpi's lenient value forms for index keys: lists as JSON arrays or comma-separated strings, booleans as JSON
/// booleans or true/false/yes/no strings, numbers as JSON numbers or digit strings (from <c>k=v</c> PATCHes).
/// Each method returns the value or a sentence naming the key and what was expected.
/// </summary>
internal static class JsonCoercion
{
    public static (IReadOnlyList<string>? Value, string? Error) List(string key, JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var items = new List<string>();
                foreach (var item in array)
                {
                    if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                    {
                        return (null, $"{key}: list items must be strings, got {Describe(item)}");
                    }
                    var s = v.GetValue<string>().Trim();
                    if (s.Length > 0)
                    {
                        items.Add(s);
                    }
                }
                return (items, null);
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return (SplitCommas(v.GetValue<string>()), null);
            default:
                return (null, $"{key}: expected a list (JSON array or comma-separated string), got {Describe(node)}");
        }
    }

    public static IReadOnlyList<string> SplitCommas(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static (bool Value, string? Error) Bool(string key, JsonNode? node)
    {
        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.True:
                    return (true, null);
                case JsonValueKind.False:
                    return (false, null);
                case JsonValueKind.String:
                    switch (v.GetValue<string>().Trim().ToLowerInvariant())
                    {
                        case "true" or "yes":
                            return (true, null);
                        case "false" or "no":
                            return (false, null);
                    }
                    break;
            }
        }
        return (false, $"{key}: expected true, false, yes or no, got {Describe(node)}");
    }

    public static (string? Value, string? Error) String(string key, JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? (v.GetValue<string>(), null)
            : (null, $"{key}: expected a string, got {Describe(node)}");

    public static (int Value, string? Error) NonNegativeInt(string key, JsonNode? node)
    {
        var (value, error) = NonNegativeLong(key, node, "seconds");
        return error is null && value <= int.MaxValue ? ((int)value, null) : (0, $"{key}: expected a whole number of seconds (0 or more), got {Describe(node)}");
    }

    /// <summary>A count of <paramref name="unit"/> (bytes, bytes per second), 0 or more, as a number or a string of digits.</summary>
    public static (long Value, string? Error) NonNegativeLong(string key, JsonNode? node, string unit)
    {
        if (node is JsonValue v)
        {
            // A value made in code keeps its CLR type: an int does not read as a long.
            if (v.GetValueKind() == JsonValueKind.Number && (v.TryGetValue<long>(out var n) || (v.TryGetValue<int>(out var i) && (n = i) == i)) && n >= 0)
            {
                return (n, null);
            }
            if (v.GetValueKind() == JsonValueKind.String
                && long.TryParse(v.GetValue<string>().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out n))
            {
                return (n, null);
            }
        }
        return (0, $"{key}: expected a whole number of {unit} (0 or more), got {Describe(node)}");
    }

    public static string Describe(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 60 ? text[..60] + "…" : text;
    }
}
