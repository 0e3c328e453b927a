using System.Text.Json.Nodes;

namespace Wheelhouse.Core.Packages;

/// <summary>
/// PEP 592's mark on a release, kept in its metadata as devpi's views show it: <c>"yanked"</c> is the reason, or
/// <c>true</c> when none was given; absent when the release is not yanked.
/// </summary>
public static class Yanked
{
    public const string Key = "yanked";

    /// <summary>The longest reason kept: it is shown by pip on every install of the release.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Null when not yanked, else the reason ("" when none was given).</summary>
    public static string? Read(JsonObject metadata) => metadata[Key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var reason) => reason,
        JsonValue v when v.TryGetValue<bool>(out var yes) => yes ? "" : null,
        _ => null,
    };

    /// <summary><see cref="Read(JsonObject)"/> of a release's stored metadata; parses only metadata that mentions the key.</summary>
    public static string? Read(string metadataJson) =>
        metadataJson.Contains("\"" + Key + "\"", StringComparison.Ordinal) && JsonNode.Parse(metadataJson) is JsonObject metadata ? Read(metadata) : null;

    /// <summary>Marks (<paramref name="reason"/> not null; "" for none) or unmarks (null) the metadata.</summary>
    public static void Write(JsonObject metadata, string? reason)
    {
        if (reason is null)
        {
            metadata.Remove(Key);
        }
        else
        {
            metadata[Key] = reason.Length == 0 ? JsonValue.Create(true) : JsonValue.Create(reason);
        }
    }
}
