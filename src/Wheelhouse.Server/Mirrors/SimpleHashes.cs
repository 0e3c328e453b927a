using System.Text.RegularExpressions;

namespace Wheelhouse.Server.Mirrors;

/// <summary>Hash fragments (<c>#sha256=hex</c>) and the file-name safety rule shared by both page formats.</summary>
internal static partial class SimpleHashes
{
    /// <summary>Hash names pip accepts (hashlib's guaranteed algorithms that simple pages use).</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256", "sha3_512",
    };

    public static IReadOnlyDictionary<string, string> FromFragment(string fragment)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var match = Fragment().Match(fragment);
        if (match.Success)
        {
            Add(hashes, match.Groups[1].Value, match.Groups[2].Value);
        }
        return hashes;
    }

    public static void Add(Dictionary<string, string> hashes, string name, string? hex)
    {
        name = name.ToLowerInvariant();
        if (Known.Contains(name) && hex is not null && Hex().IsMatch(hex))
        {
            hashes[name] = hex.ToLowerInvariant();
        }
    }

    /// <summary>A name that can be used as the last path segment of a stored file: no separators, no dot-dot, no control characters.</summary>
    public static bool IsSafeFileName(string name) =>
        name.Length is > 0 and <= 255 && name is not ("." or "..") && !name.Contains('/') && !name.Contains('\\')
        && !name.Any(char.IsControl);

    [GeneratedRegex(@"\A#([A-Za-z0-9_]+)=([0-9A-Fa-f]+)\z")]
    private static partial Regex Fragment();

    [GeneratedRegex(@"\A[0-9A-Fa-f]{32,128}\z")]
    private static partial Regex Hex();
}
