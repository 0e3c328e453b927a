using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Indexes;

/// <summary>An index as the server holds it in memory: its row, its path and Core's typed config.</summary>
public sealed class IndexEntry
{
    private IndexEntry(IndexRecord record, IndexPath path, IndexConfig config)
    {
        Record = record;
        IndexPath = path;
        Config = config;
    }

    public IndexRecord Record { get; }

    public IndexPath IndexPath { get; }

    public IndexConfig Config { get; }

    public string User => Record.User;

    public string Name => Record.Name;

    public bool IsMirror => Config.IsMirror;

    public bool Volatile => Config.Volatile;

    /// <summary>devpi's indexconfig dict for answers (mirror credentials masked), with <paramref name="projects"/> when given.</summary>
    public JsonObject ToJson(IReadOnlyList<string>? projects = null)
    {
        var config = IndexConfigJson.ToJson(Config);
        if (projects is not null)
        {
            config["projects"] = new JsonArray(projects.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
        }
        return config;
    }

    /// <summary>The form kept in the database (credentials included).</summary>
    public static string ToStored(IndexConfig config) => IndexConfigJson.ToJson(config, forDisplay: false).ToJsonString();

    public static IndexEntry From(IndexRecord record)
    {
        var path = IndexPath.Parse($"{record.User}/{record.Name}");
        var stored = JsonNode.Parse(record.ConfigJson) as JsonObject
            ?? throw new InvalidOperationException($"index {path}: stored config is not a JSON object");
        return new IndexEntry(record, path, IndexConfigJson.FromStored(path, stored));
    }
}
