using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Distributions;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// A release file's own core metadata as Wheelhouse records it, read with the bounded archive reader
/// (<see cref="DistributionInspector"/>: a wheel's <c>METADATA</c>, an sdist's <c>PKG-INFO</c>; no header trusted, a
/// hostile archive a failure, never an exception): the release's metadata (devpi's verdata: name, version, summary,
/// requires_dist, requires_python, ...), and for a wheel the <c>METADATA</c> bytes PEP 658 serves as <c>.metadata</c>.
/// The one place uploads, mirrored files and filled files get it from.
/// </summary>
/// <param name="CoreMetadataSha256">The sha256 of <paramref name="CoreMetadata"/>; both null for an sdist.</param>
public sealed record ReleaseFileMetadata(CoreMetadata Parsed, JsonObject Verdata, string RequiresPython, string? CoreMetadataSha256, byte[]? CoreMetadata)
{
    private static readonly InspectionLimits Limits = InspectionLimits.Default;

    /// <summary>The metadata of the file at <paramref name="path"/>, or null with the reason (a sentence without the file name).</summary>
    public static ReleaseFileMetadata? Read(string path, DistributionFileName name, out string? problem)
    {
        InspectionResult inspection;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            inspection = DistributionInspector.Inspect(stream, name, Limits);
        }
        if (inspection is not InspectionResult.Success ok)
        {
            problem = ((InspectionResult.Failure)inspection).Message;
            return null;
        }
        problem = null;
        var sha = name.IsWheel ? Convert.ToHexStringLower(SHA256.HashData(ok.RawMetadata)) : null;
        return new ReleaseFileMetadata(ok.Metadata, ToJson(ok.Metadata.ToVerdata()), ok.Metadata.RequiresPython ?? "", sha,
            name.IsWheel ? ok.RawMetadata : null);
    }

    /// <summary>
    /// True for release metadata that holds nothing but the name and version: what a mirror records from an index page
    /// alone (or registered before the file's own metadata was read), which the file's metadata may then replace.
    /// </summary>
    public static bool IsMinimal(string metadataJson) =>
        JsonNode.Parse(metadataJson) is JsonObject o && o.All(p => p.Key is "name" or "version");

    private static JsonObject ToJson(IReadOnlyDictionary<string, object> fields)
    {
        var result = new JsonObject();
        foreach (var (key, value) in fields)
        {
            result[key] = value switch
            {
                string s => JsonValue.Create(s),
                IEnumerable<string> list => new JsonArray(list.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                _ => JsonSerializer.SerializeToNode(value.ToString()),
            };
        }
        return result;
    }
}
