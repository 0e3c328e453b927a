using System.Text.Json.Nodes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Security;

namespace Wheelhouse.Core.Indexes;

/// <summary>Turns a draft (key → JSON value, devpi's shape) into a typed, validated <see cref="IndexConfig"/>.</summary>
internal static class IndexConfigBuilder
{
    /// <param name="stored">
    /// Reading what storage holds: a <c>mirror_url</c> stored before today's rules is kept as it is, so the server
    /// still starts and the mirror's reads answer 502 naming the index until its owner changes it.
    /// Unknown keys are kept then (<see cref="IndexConfig.KeptKeys"/>), as they are when a change keeps a key the
    /// current config already holds.
    /// </param>
    public static Validated<IndexConfig> Build(
        IndexPath path, Dictionary<string, JsonNode?> draft, Func<IndexPath, bool> exists, IndexConfig? current, List<string> problems, bool stored = false)
    {
        var type = IndexType.Stage;
        if (draft.TryGetValue("type", out var typeNode))
        {
            switch (typeNode?.ToString())
            {
                case "stage":
                    break;
                case "mirror":
                    type = IndexType.Mirror;
                    break;
                default:
                    problems.Add($"type: must be 'stage' or 'mirror', got {JsonCoercion.Describe(typeNode)}");
                    break;
            }
        }
        var allowed = IndexConfigKeys.For(type);
        var unknown = draft.Keys.Where(k => !allowed.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (type == IndexType.Mirror && unknown.Remove("bases"))
        {
            problems.Add("a mirror index has no bases");
        }
        var kept = unknown.Where(k => stored || current?.KeptKeys.ContainsKey(k) == true).ToList();
        unknown.RemoveAll(kept.Contains);
        if (unknown.Count > 0)
        {
            problems.Add($"unknown index keys for a {(type == IndexType.Mirror ? "mirror" : "stage")} index: {string.Join(", ", unknown)} "
                + $"(valid keys: {string.Join(", ", allowed)})");
        }

        var config = type == IndexType.Stage ? IndexConfig.DefaultStage(path.User) : new IndexConfig { Type = IndexType.Mirror };
        foreach (var (key, node) in draft.Where(kv => allowed.Contains(kv.Key) && kv.Key != "type"))
        {
            config = key == "mirror_url" && stored
                ? config with { MirrorUrl = JsonCoercion.String(key, node).Value?.Trim() }
                : Apply(config, key, node, path, exists, current, problems);
        }
        if (kept.Count > 0)
        {
            config = config with
            {
                KeptKeys = kept.Where(k => draft[k] is not null).ToDictionary(k => k, k => draft[k]!.DeepClone(), StringComparer.Ordinal),
            };
        }
        if (type == IndexType.Mirror && config.MirrorUrl is null)
        {
            problems.Add("a mirror index needs mirror_url (the upstream simple index, e.g. https://pypi.org/simple/)");
        }
        return problems.Count == 0 ? new Validated<IndexConfig>.Valid(config) : new Validated<IndexConfig>.Invalid(problems.Distinct().ToList());
    }

    private static IndexConfig Apply(
        IndexConfig config, string key, JsonNode? node, IndexPath path, Func<IndexPath, bool> exists, IndexConfig? current, List<string> problems)
    {
        T Take<T>((T Value, string? Error) result, T fallback)
        {
            if (result.Error is not null)
            {
                problems.Add(result.Error);
                return fallback;
            }
            return result.Value;
        }

        switch (key)
        {
            case "volatile":
                return config with { Volatile = Take(JsonCoercion.Bool(key, node), config.Volatile) };
            case IndexConfigKeys.RefusePrereleases:
                return config with { RefusePrereleases = Take(JsonCoercion.Bool(key, node), false) };
            case "bases":
                return config with { Bases = Bases(Take(JsonCoercion.List(key, node), []) ?? [], path, exists, current, problems) };
            case "acl_upload":
                return config with { AclUpload = Acl(key, Take(JsonCoercion.List(key, node), []) ?? [], problems) };
            case "acl_toxresult_upload":
                return config with { AclToxresultUpload = Acl(key, Take(JsonCoercion.List(key, node), []) ?? [], problems) };
            case "mirror_whitelist":
                return config with { MirrorWhitelist = Whitelist(Take(JsonCoercion.List(key, node), []) ?? [], problems) };
            case "mirror_whitelist_inheritance":
                var mode = Take(JsonCoercion.String(key, node), null)?.Trim().ToLowerInvariant();
                if (mode is not (null or "intersection" or "union"))
                {
                    problems.Add($"Unknown value '{mode}' for mirror_whitelist_inheritance, must be 'intersection' or 'union'.");
                }
                return config with { MirrorWhitelistInheritance = mode == "union" ? MirrorWhitelistInheritance.Union : MirrorWhitelistInheritance.Intersection };
            case "title":
                return config with { Title = Take(JsonCoercion.String(key, node), null) };
            case "description":
                return config with { Description = Take(JsonCoercion.String(key, node), null) };
            case "custom_data":
                return config with { CustomData = node?.DeepClone() };
            case "mirror_url":
                var url = Take(JsonCoercion.String(key, node), null)?.Trim();
                if (url is not null && !MirrorUrlRules.TryParse(url, out _, out var urlError))
                {
                    problems.Add(urlError);
                }
                return config with { MirrorUrl = url };
            case "mirror_web_url_fmt":
                return config with { MirrorWebUrlFmt = Take(JsonCoercion.String(key, node), null) };
            case IndexConfigKeys.MirrorNoProjectList:
                return config with { MirrorNoProjectList = Take(JsonCoercion.Bool(key, node), false) };
            case "mirror_cache_expiry":
                return config with { MirrorCacheExpiry = Take(JsonCoercion.NonNegativeInt(key, node), IndexConfig.DefaultMirrorCacheExpiry) };
            case "prefetch":
                var names = Whitelist(Take(JsonCoercion.List(key, node), []) ?? [], problems, key);
                if (names.Remove("*"))
                {
                    problems.Add("prefetch: '*' is not allowed (it would copy the whole upstream); name the projects");
                }
                return config with { Prefetch = names };
            case "prefetch_requirements":
                var file = Take(JsonCoercion.String(key, node), null)?.Trim();
                if (file is { Length: > 0 } && !Path.IsPathRooted(file))
                {
                    problems.Add($"prefetch_requirements: '{file}' must be an absolute path to a requirements file on the server");
                }
                return config with { PrefetchRequirements = file is { Length: > 0 } ? file : null };
            case "prefetch_interval":
                var interval = Take(JsonCoercion.NonNegativeInt(key, node), IndexConfig.DefaultPrefetchInterval);
                if (interval < IndexConfig.MinimumPrefetchInterval)
                {
                    problems.Add($"prefetch_interval: at least {IndexConfig.MinimumPrefetchInterval} seconds, got {interval}");
                }
                return config with { PrefetchInterval = interval };
            case "prefetch_bandwidth":
                return config with { PrefetchBandwidth = Take(JsonCoercion.NonNegativeLong(key, node, "bytes per second"), 0) };
            case "prefetch_max_bytes":
                return config with { PrefetchMaxBytes = Take(JsonCoercion.NonNegativeLong(key, node, "bytes"), 0) };
            default:
                throw new InvalidOperationException($"index key '{key}' is allowed but not handled");
        }
    }

    private static List<IndexPath> Bases(IReadOnlyList<string> raw, IndexPath self, Func<IndexPath, bool> exists, IndexConfig? current, List<string> problems)
    {
        var bases = new List<IndexPath>();
        foreach (var text in raw)
        {
            if (!IndexPath.TryParse(text, out var basePath, out var error))
            {
                problems.Add($"bases: {error}");
            }
            else if (basePath == self)
            {
                problems.Add($"bases: index {self} cannot inherit from itself");
            }
            else if (bases.Contains(basePath))
            {
                problems.Add($"bases: {basePath} is listed twice");
            }
            // A base that already was one is kept even if it has since disappeared, so unrelated changes still work.
            else if (current?.Bases.Contains(basePath) != true && !exists(basePath))
            {
                problems.Add($"bases: index {basePath} does not exist");
            }
            else
            {
                bases.Add(basePath);
            }
        }
        return bases;
    }

    private static List<AclEntry> Acl(string key, IReadOnlyList<string> raw, List<string> problems)
    {
        var entries = new List<AclEntry>();
        foreach (var text in raw)
        {
            if (!AclEntry.TryParse(text, out var entry, out var error))
            {
                problems.Add($"{key}: {error}");
            }
            else if (!entries.Contains(entry))
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    private static List<string> Whitelist(IReadOnlyList<string> raw, List<string> problems, string key = "mirror_whitelist")
    {
        var names = new List<string>();
        foreach (var text in raw)
        {
            var normalized = text == "*" ? "*" : ProjectName.TryParse(text, out var name, out _) ? name.Normalized : null;
            if (normalized is null)
            {
                problems.Add($"{key}: '{ProjectName.Printable(text)}' is not a project name{(key == "mirror_whitelist" ? " or '*'" : "")}");
            }
            else if (!names.Contains(normalized))
            {
                names.Add(normalized);
            }
        }
        return names;
    }
}
