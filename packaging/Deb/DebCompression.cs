namespace Wheelhouse.Packaging.Deb;

/// <summary>Compression of control.tar and data.tar. Xz is Debian's default.</summary>
public enum DebCompression
{
    Xz,
    Zstd,
    Gzip,
    None,
}

public static class DebCompressions
{
    public const string Accepted = "xz, zstd, gzip or none";

    /// <summary>Parses "xz", "zstd", "gzip" or "none" (case-insensitive).</summary>
    public static bool TryParse(string? text, out DebCompression compression)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "xz":
                compression = DebCompression.Xz;
                return true;
            case "zstd":
                compression = DebCompression.Zstd;
                return true;
            case "gzip":
                compression = DebCompression.Gzip;
                return true;
            case "none":
                compression = DebCompression.None;
                return true;
            default:
                compression = default;
                return false;
        }
    }

    public static DebCompression Parse(string? text) =>
        TryParse(text, out var compression)
            ? compression
            : throw new FormatException($"unknown compression '{text}': use {Accepted}");

    /// <summary>The ar member suffix: "" for none, else ".xz", ".zst", ".gz" (as dpkg-deb names them).</summary>
    public static string TarSuffix(this DebCompression compression) => compression switch
    {
        DebCompression.Xz => ".xz",
        DebCompression.Zstd => ".zst",
        DebCompression.Gzip => ".gz",
        DebCompression.None => "",
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };

    public static string Name(this DebCompression compression) => compression.ToString().ToLowerInvariant();
}
