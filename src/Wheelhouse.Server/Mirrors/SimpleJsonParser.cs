using System.Text.Json;

namespace Wheelhouse.Server.Mirrors;

/// <summary>Reads PEP 691 JSON pages (<c>application/vnd.pypi.simple.v1+json</c>), API version 1.x.</summary>
public static class SimpleJsonParser
{
    public const string MediaType = "application/vnd.pypi.simple.v1+json";

    public static (UpstreamProjectPage? Page, string? Error) ParseProjectPage(string json, Uri pageUrl, string projectName)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (CheckMeta(root) is { } metaError)
            {
                return (null, metaError);
            }
            if (!root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                return (null, "the PEP 691 project page has no \"files\" list");
            }
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : projectName;
            var links = new List<UpstreamLink>();
            foreach (var file in files.EnumerateArray())
            {
                if (ParseFile(file, pageUrl) is { } link)
                {
                    links.Add(link);
                }
            }
            var versions = root.TryGetProperty("versions", out var v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                : [];
            return (new UpstreamProjectPage(name, links, versions), null);
        }
        catch (JsonException e)
        {
            return (null, $"the answer is not valid JSON ({e.Message})");
        }
    }

    public static (UpstreamProjectList? List, string? Error) ParseProjectList(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (CheckMeta(root) is { } metaError)
            {
                return (null, metaError);
            }
            if (!root.TryGetProperty("projects", out var projects) || projects.ValueKind != JsonValueKind.Array)
            {
                return (null, "the PEP 691 project list has no \"projects\" list");
            }
            var names = projects.EnumerateArray()
                .Select(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null)
                .OfType<string>().ToList();
            return (new UpstreamProjectList(names), null);
        }
        catch (JsonException e)
        {
            return (null, $"the answer is not valid JSON ({e.Message})");
        }
    }

    private static string? CheckMeta(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "the PEP 691 answer is not a JSON object";
        }
        if (!root.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object
            || !meta.TryGetProperty("api-version", out var version) || version.ValueKind != JsonValueKind.String)
        {
            return "the PEP 691 answer has no meta.api-version";
        }
        var text = version.GetString()!;
        return text == "1" || text.StartsWith("1.", StringComparison.Ordinal)
            ? null
            : $"the PEP 691 answer has api-version {text}; only 1.x is understood";
    }

    private static UpstreamLink? ParseFile(JsonElement file, Uri pageUrl)
    {
        if (file.ValueKind != JsonValueKind.Object
            || !file.TryGetProperty("filename", out var filenameElement) || filenameElement.ValueKind != JsonValueKind.String
            || !file.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(pageUrl, urlElement.GetString(), out var url) || url.Scheme is not ("http" or "https"))
        {
            return null;
        }
        var filename = filenameElement.GetString()!;
        if (!SimpleHashes.IsSafeFileName(filename))
        {
            return null;
        }
        var hashes = Hashes(file, "hashes") ?? new Dictionary<string, string>();
        var fromFragment = SimpleHashes.FromFragment(url.Fragment);
        foreach (var (key, value) in fromFragment)
        {
            hashes.TryAdd(key, value);
        }
        url = new UriBuilder(url) { Fragment = "" }.Uri;
        var requiresPython = file.TryGetProperty("requires-python", out var rp) && rp.ValueKind == JsonValueKind.String ? rp.GetString() : null;
        var yanked = file.TryGetProperty("yanked", out var y) ? y.ValueKind switch
        {
            JsonValueKind.True => "",
            JsonValueKind.String => y.GetString(),
            _ => null,
        } : null;
        var metadata = MetadataHashes(file, "core-metadata") ?? MetadataHashes(file, "dist-info-metadata");
        return new UpstreamLink(url, filename, hashes, string.IsNullOrWhiteSpace(requiresPython) ? null : requiresPython, yanked, metadata);
    }

    private static Dictionary<string, string>? MetadataHashes(JsonElement file, string key)
    {
        if (!file.TryGetProperty(key, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => new Dictionary<string, string>(),
            JsonValueKind.Object => Hashes(file, key),
            _ => null,
        };
    }

    private static Dictionary<string, string>? Hashes(JsonElement file, string key)
    {
        if (!file.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            SimpleHashes.Add(hashes, property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null);
        }
        return hashes;
    }
}
