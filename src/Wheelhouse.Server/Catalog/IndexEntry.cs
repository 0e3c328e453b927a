using System.Text.Json.Nodes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Catalog;

/// <summary>An index as the HTTP layer needs it: its path, owner and the config keys that drive behaviour.</summary>
public sealed class IndexEntry
{
    private IndexEntry(IndexRecord record, JsonObject config)
    {
        Record = record;
        Config = config;
    }

    public IndexRecord Record { get; }

    public string User => Record.User;

    public string Name => Record.Name;

    /// <summary><c>user/index</c>, as bases and targetindex spell it.</summary>
    public string Path => $"{Record.User}/{Record.Name}";

    /// <summary>The devpi indexconfig dict (without <c>projects</c>).</summary>
    public JsonObject Config { get; }

    public bool IsMirror => (string?)Config["type"] == "mirror";

    public bool Volatile => Config["volatile"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : true;

    public IReadOnlyList<string> Bases => Strings("bases");

    public IReadOnlyList<string> AclUpload => Strings("acl_upload");

    /// <summary>The Wheelhouse stage option that refuses PEP 440 pre-releases and dev releases.</summary>
    public bool RefusesPreReleases => Config["refuse_prereleases"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public const string RefusePreReleasesKey = "refuse_prereleases";

    public static IndexEntry From(IndexRecord record) =>
        new(record, JsonNode.Parse(record.ConfigJson) as JsonObject
            ?? throw new InvalidOperationException($"index {record.User}/{record.Name}: stored config is not a JSON object"));

    private IReadOnlyList<string> Strings(string key) =>
        Config[key] is JsonArray a ? a.Select(n => (string?)n ?? "").ToArray() : [];
}
