using System.Diagnostics.CodeAnalysis;
using System.Text;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;

namespace Wheelhouse.Core.Distributions;

/// <summary>
/// Core metadata (METADATA in a wheel, PKG-INFO in an sdist), Metadata-Version 1.0 to 2.x: RFC 822-style fields,
/// some of them multiple-use, continuation lines, and the description either as a field or as the body after the
/// first blank line. Field names are case-insensitive.
/// </summary>
public sealed class CoreMetadata
{
    /// <summary>Fields that may appear more than once; all others keep their last value.</summary>
    public static readonly IReadOnlySet<string> MultipleUseFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Platform", "Supported-Platform", "Classifier", "Requires-Dist", "Requires-External", "Provides-Extra",
        "Provides-Dist", "Obsoletes-Dist", "Project-URL", "Dynamic", "License-File", "Requires", "Provides", "Obsoletes",
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, List<string>> _fields;

    private CoreMetadata(Dictionary<string, List<string>> fields, string metadataVersion, ProjectName name, Pep440Version version)
    {
        _fields = fields;
        MetadataVersion = metadataVersion;
        Name = name;
        Version = version;
    }

    public string MetadataVersion { get; }

    public ProjectName Name { get; }

    public Pep440Version Version { get; }

    /// <summary>The raw version string as written, which the verdata keeps.</summary>
    public string VersionText => Single("Version") ?? Version.Normalized;

    public string? Summary => Single("Summary");

    public string? Description => Single("Description");

    public string? DescriptionContentType => Single("Description-Content-Type");

    public string? RequiresPython => Single("Requires-Python");

    public IReadOnlyList<string> RequiresDist => All("Requires-Dist");

    public IReadOnlyList<string> ProvidesExtra => All("Provides-Extra");

    public IReadOnlyList<string> Classifiers => All("Classifier");

    public IReadOnlyList<string> ProjectUrls => All("Project-URL");

    public string? Author => Single("Author");

    public string? AuthorEmail => Single("Author-email");

    public string? License => Single("License");

    public string? HomePage => Single("Home-page");

    public string? Keywords => Single("Keywords");

    /// <summary>The last value of a single-use field (any field name, case-insensitive); null when absent.</summary>
    public string? Single(string field) => _fields.TryGetValue(field, out var values) ? values[^1] : null;

    /// <summary>Every value of a field in file order; empty when absent.</summary>
    public IReadOnlyList<string> All(string field) => _fields.TryGetValue(field, out var values) ? values : [];

    /// <summary>The field names present, in canonical spelling of their first occurrence.</summary>
    public IEnumerable<string> FieldNames => _fields.Keys;

    /// <summary>Decodes strict UTF-8 (a byte-order mark is tolerated) and parses.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out CoreMetadata? metadata, [NotNullWhen(false)] out string? error)
    {
        metadata = null;
        string text;
        try
        {
            text = StrictUtf8.GetString(utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8[3..] : utf8);
        }
        catch (DecoderFallbackException)
        {
            error = "core metadata is not valid UTF-8; re-build the distribution with a current build backend";
            return false;
        }
        return TryParse(text, out metadata, out error);
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out CoreMetadata? metadata, [NotNullWhen(false)] out string? error)
    {
        metadata = null;
        if (text.Contains('\0'))
        {
            error = "core metadata contains NUL characters";
            return false;
        }
        var fields = CoreMetadataReader.Read(text);
        var metadataVersion = fields.TryGetValue("Metadata-Version", out var mv) ? mv[^1].Trim() : null;
        if (metadataVersion is null)
        {
            error = "core metadata has no Metadata-Version field";
            return false;
        }
        if (!IsSupported(metadataVersion))
        {
            error = $"Metadata-Version '{ProjectName.Printable(metadataVersion)}' is not supported (1.0 to 2.x are)";
            return false;
        }
        if (!fields.TryGetValue("Name", out var rawName))
        {
            error = "core metadata has no Name field";
            return false;
        }
        if (!ProjectName.TryParse(rawName[^1].Trim(), out var name, out var nameError))
        {
            error = $"core metadata Name: {nameError}";
            return false;
        }
        if (!fields.TryGetValue("Version", out var rawVersion))
        {
            error = "core metadata has no Version field";
            return false;
        }
        if (!Pep440Version.TryParse(rawVersion[^1], out var version, out var versionError))
        {
            error = $"core metadata Version: {versionError}";
            return false;
        }
        metadata = new CoreMetadata(fields, metadataVersion, name, version);
        error = null;
        return true;
    }

    private static bool IsSupported(string metadataVersion)
    {
        var parts = metadataVersion.Split('.');
        return parts.Length == 2 && parts.All(p => p.Length is > 0 and < 4 && p.All(char.IsAsciiDigit))
            && (parts[0] is "1" && parts[1] is "0" or "1" or "2" || parts[0] is "2");
    }

    /// <summary>devpi's <c>verdata</c> metadata keys, each "" or [] when empty (see <see cref="VerdataKeys"/>).</summary>
    public IReadOnlyDictionary<string, object> ToVerdata()
    {
        var result = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, field) in VerdataKeys.ScalarFields)
        {
            result[key] = Single(field) ?? "";
        }
        foreach (var (key, field) in VerdataKeys.ListFields)
        {
            result[key] = All(field).ToArray();
        }
        result["name"] = Name.Raw;
        result["version"] = VersionText.Trim();
        result["metadata_version"] = MetadataVersion;
        return result;
    }
}
