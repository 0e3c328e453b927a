using System.Text.Json.Nodes;
using Wheelhouse.Core.Security;

namespace Wheelhouse.Core.Indexes;

/// <summary>
/// The typed configuration of an index, with devpi's keys and defaults. Create and change it only through
/// <see cref="IndexConfigRules"/>, which validates; read it from storage with <see cref="IndexConfigJson.FromStored"/>.
/// </summary>
/// <remarks>
/// Wheelhouse adds one stage key, <c>refuse_prereleases</c> (default false): when true, uploads and pushes of
/// PEP 440 pre-releases and dev releases (<c>1.0rc1</c>, <c>1.0.dev3</c>) into the index are refused with 409.
/// It is written to JSON only when true, so default configs look exactly like devpi's.
/// Mirrors get the pre-fetch keys <c>prefetch</c>, <c>prefetch_requirements</c>, <c>prefetch_interval</c>,
/// <c>prefetch_bandwidth</c> and <c>prefetch_max_bytes</c>, likewise written only when set.
/// </remarks>
public sealed record IndexConfig
{
    public const int DefaultMirrorCacheExpiry = 1800;

    /// <summary>Pre-fetch defaults: hourly, 5 MiB/s, 10 GiB of the mirror's stored files.</summary>
    public const int DefaultPrefetchInterval = 3600;

    public const int MinimumPrefetchInterval = 60;

    public const long DefaultPrefetchBandwidth = 5L * 1024 * 1024;

    public const long DefaultPrefetchMaxBytes = 10L * 1024 * 1024 * 1024;

    public required IndexType Type { get; init; }

    /// <summary>Stage only: the indexes this one inherits from, in order.</summary>
    public IReadOnlyList<IndexPath> Bases { get; init; } = [];

    public bool Volatile { get; init; } = true;

    public IReadOnlyList<AclEntry> AclUpload { get; init; } = [];

    public IReadOnlyList<AclEntry> AclToxresultUpload { get; init; } = [AclEntry.Anonymous];

    /// <summary>Normalized project names, or <c>*</c> for all.</summary>
    public IReadOnlyList<string> MirrorWhitelist { get; init; } = [];

    public MirrorWhitelistInheritance MirrorWhitelistInheritance { get; init; } = MirrorWhitelistInheritance.Intersection;

    /// <summary>Wheelhouse's <c>refuse_prereleases</c>: refuse pre-releases and dev releases on upload and push.</summary>
    public bool RefusePrereleases { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>Free-form JSON kept for the user (devpi's <c>custom_data</c>).</summary>
    public JsonNode? CustomData { get; init; }

    /// <summary>
    /// Keys no rule of ours knows that came with the data (a devpi plugin's settings in an imported index), kept and
    /// written back as they are, as devpi's import keeps them; a PATCH may change or remove them but not add new ones.
    /// </summary>
    public IReadOnlyDictionary<string, JsonNode> KeptKeys { get; init; } = new Dictionary<string, JsonNode>(StringComparer.Ordinal);

    /// <summary>Mirror only: the upstream simple index, credentials included (never show it: use <see cref="MirrorUrlForDisplay"/>).</summary>
    public string? MirrorUrl { get; init; }

    public string? MirrorWebUrlFmt { get; init; }

    /// <summary>Mirror only: seconds a fetched project page stays fresh; null means the default (1800), and is not written.</summary>
    public int? MirrorCacheExpiry { get; init; }

    public int EffectiveMirrorCacheExpiry => MirrorCacheExpiry ?? DefaultMirrorCacheExpiry;

    /// <summary>
    /// Mirror only, devpi's <c>mirror_no_project_list</c>: the mirror's <c>+simple/</c> lists the projects it stored
    /// instead of asking the upstream for its list (an upstream with none, or PyPI's list of half a million names).
    /// </summary>
    public bool MirrorNoProjectList { get; init; }

    /// <summary>Mirror only, Wheelhouse's <c>prefetch</c>: normalized names of projects whose newest release is kept warm.</summary>
    public IReadOnlyList<string> Prefetch { get; init; } = [];

    /// <summary>Mirror only, <c>prefetch_requirements</c>: an absolute path on the server to a requirements file whose names are kept warm too.</summary>
    public string? PrefetchRequirements { get; init; }

    /// <summary>Mirror only, <c>prefetch_interval</c>: seconds between pre-fetch runs; null means the default.</summary>
    public int? PrefetchInterval { get; init; }

    /// <summary>Mirror only, <c>prefetch_bandwidth</c>: bytes per second a pre-fetch run may download; 0 is unlimited, null the default.</summary>
    public long? PrefetchBandwidth { get; init; }

    /// <summary>Mirror only, <c>prefetch_max_bytes</c>: pre-fetch stops once the mirror stores this many bytes; null means the default.</summary>
    public long? PrefetchMaxBytes { get; init; }

    public bool PrefetchConfigured => Prefetch.Count > 0 || PrefetchRequirements is not null;

    public bool IsMirror => Type == IndexType.Mirror;

    /// <summary>The mirror URL as it may be shown (see <see cref="MirrorUrlRules.Redact"/>).</summary>
    public string? MirrorUrlForDisplay => MirrorUrl is null ? null : MirrorUrlRules.Redact(MirrorUrl);

    public static IndexConfig DefaultStage(UserName owner) => new() { Type = IndexType.Stage, AclUpload = [AclEntry.ForUser(owner)] };

    public bool Equals(IndexConfig? other) =>
        other is not null && Type == other.Type && Bases.SequenceEqual(other.Bases) && Volatile == other.Volatile
        && AclUpload.SequenceEqual(other.AclUpload) && AclToxresultUpload.SequenceEqual(other.AclToxresultUpload)
        && MirrorWhitelist.SequenceEqual(other.MirrorWhitelist) && MirrorWhitelistInheritance == other.MirrorWhitelistInheritance
        && RefusePrereleases == other.RefusePrereleases && Title == other.Title && Description == other.Description
        && JsonNode.DeepEquals(CustomData, other.CustomData) && MirrorUrl == other.MirrorUrl
        && MirrorWebUrlFmt == other.MirrorWebUrlFmt && MirrorCacheExpiry == other.MirrorCacheExpiry && MirrorNoProjectList == other.MirrorNoProjectList
        && Prefetch.SequenceEqual(other.Prefetch) && PrefetchRequirements == other.PrefetchRequirements && PrefetchInterval == other.PrefetchInterval
        && PrefetchBandwidth == other.PrefetchBandwidth && PrefetchMaxBytes == other.PrefetchMaxBytes
        && KeptKeys.Count == other.KeptKeys.Count
        && KeptKeys.All(kv => other.KeptKeys.TryGetValue(kv.Key, out var v) && JsonNode.DeepEquals(kv.Value, v));

    public override int GetHashCode() => HashCode.Combine(Type, Bases.Count, Volatile, AclUpload.Count, MirrorWhitelist.Count, Title, MirrorUrl);
}
