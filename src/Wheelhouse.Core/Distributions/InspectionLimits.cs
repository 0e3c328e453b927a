namespace Wheelhouse.Core.Distributions;

/// <summary>
/// Bounds on the work <see cref="DistributionInspector"/> does on an untrusted archive. Sizes are counted while
/// decompressing; the sizes an archive declares in its headers are never trusted.
/// </summary>
public sealed record InspectionLimits
{
    /// <summary>Largest METADATA / PKG-INFO accepted, uncompressed (long READMEs are a few hundred KiB).</summary>
    public long MaxMetadataBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest ratio of decompressed to compressed bytes, checked once <see cref="RatioCheckThresholdBytes"/> are out.</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    /// <summary>Below this many decompressed bytes the ratio is not checked: tiny files compress absurdly well.</summary>
    public long RatioCheckThresholdBytes { get; init; } = 256 * 1024;

    /// <summary>Most bytes a .tar.gz may decompress to: it is read in order to PKG-INFO, then to its end for the gzip CRC-32.</summary>
    public long MaxScanBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Most archive entries looked at.</summary>
    public int MaxEntries { get; init; } = 100_000;

    public static InspectionLimits Default { get; } = new();
}
