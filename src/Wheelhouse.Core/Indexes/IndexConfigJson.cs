using System.Text.Json.Nodes;

namespace Wheelhouse.Core.Indexes;

/// <summary>devpi's JSON shape of an index config (<c>indexconfig</c> without <c>projects</c>), both ways.</summary>
public static class IndexConfigJson
{
    /// <summary>
    /// The config as devpi writes it. With <paramref name="forDisplay"/> (every HTTP answer) a password in
    /// <c>mirror_url</c> is masked; storage writes it with <c>forDisplay: false</c>.
    /// </summary>
    public static JsonObject ToJson(IndexConfig config, bool forDisplay = true)
    {
        var json = new JsonObject { ["type"] = config.IsMirror ? "mirror" : "stage" };
        if (config.IsMirror)
        {
            json["mirror_url"] = forDisplay ? config.MirrorUrlForDisplay : config.MirrorUrl;
            json["volatile"] = config.Volatile;
            AddIfSet(json, "mirror_web_url_fmt", config.MirrorWebUrlFmt);
            if (config.MirrorCacheExpiry is { } expiry)
            {
                json["mirror_cache_expiry"] = expiry;
            }
            if (config.MirrorNoProjectList)
            {
                json[IndexConfigKeys.MirrorNoProjectList] = true;
            }
            if (config.Prefetch.Count > 0)
            {
                json["prefetch"] = Array(config.Prefetch);
            }
            AddIfSet(json, "prefetch_requirements", config.PrefetchRequirements);
            if (config.PrefetchInterval is { } interval)
            {
                json["prefetch_interval"] = interval;
            }
            if (config.PrefetchBandwidth is { } bandwidth)
            {
                json["prefetch_bandwidth"] = bandwidth;
            }
            if (config.PrefetchMaxBytes is { } maxBytes)
            {
                json["prefetch_max_bytes"] = maxBytes;
            }
        }
        else
        {
            json["bases"] = Array(config.Bases.Select(b => b.ToString()));
            json["volatile"] = config.Volatile;
            json["acl_upload"] = Array(config.AclUpload.Select(e => e.ToString()));
            json["acl_toxresult_upload"] = Array(config.AclToxresultUpload.Select(e => e.ToString()));
            json["mirror_whitelist"] = Array(config.MirrorWhitelist);
            json["mirror_whitelist_inheritance"] = config.MirrorWhitelistInheritance == MirrorWhitelistInheritance.Union ? "union" : "intersection";
            if (config.RefusePrereleases)
            {
                json[IndexConfigKeys.RefusePrereleases] = true;
            }
        }
        AddIfSet(json, "title", config.Title);
        AddIfSet(json, "description", config.Description);
        if (config.CustomData is not null)
        {
            json["custom_data"] = config.CustomData.DeepClone();
        }
        foreach (var (key, value) in config.KeptKeys.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json[key] = value.DeepClone();
        }
        return json;
    }

    /// <summary>Reads a config written by <see cref="ToJson"/> with <c>forDisplay: false</c>; stored data that does not validate is corruption and throws.</summary>
    public static IndexConfig FromStored(IndexPath path, JsonObject stored)
    {
        var result = IndexConfigRules.ReadStored(path, stored);
        return result.IsValid(out var config, out var invalid)
            ? config
            : throw new InvalidDataException($"stored configuration of index {path} is invalid: {invalid.Message}");
    }

    private static void AddIfSet(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
