using System.Formats.Tar;
using System.IO.Compression;

namespace Wheelhouse.Core.Distributions;

/// <summary>
/// Reads the core metadata out of an uploaded release file without trusting it: a wheel's single
/// <c>name-version.dist-info/METADATA</c>, an sdist's <c>dir/PKG-INFO</c>; every size bounded by
/// <see cref="InspectionLimits"/>, a corrupt or hostile archive answered with a failure, never an exception.
/// The metadata must name the same project and version as the file name. Failure messages do not repeat the file
/// name: the caller prefixes it ("foo-1.0.tar.gz: the archive has no PKG-INFO ...").
/// </summary>
public static class DistributionInspector
{
    /// <param name="file">The file; read from its start. Wheels and zip sdists need a seekable stream.</param>
    public static InspectionResult Inspect(Stream file, DistributionFileName name, InspectionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (name.Kind != DistributionKind.SdistTarGz && !file.CanSeek)
        {
            throw new ArgumentException("zip archives are read from a seekable stream (write the upload to a file first)", nameof(file));
        }
        if (file.CanSeek)
        {
            file.Position = 0;
        }
        try
        {
            var found = name.Kind switch
            {
                DistributionKind.Wheel => ZipMetadata.ReadWheel(file, name, limits),
                DistributionKind.SdistZip => ZipMetadata.ReadSdist(file, name, limits),
                _ => ReadTarGz(file, name, limits),
            };
            return found.Member is null ? new InspectionResult.Failure(found.Problem!) : Check(found.Member, found.Bytes!, name);
        }
        catch (InspectionLimitExceededException ex)
        {
            return new InspectionResult.Failure($"refused: {ex.Message}");
        }
        catch (Exception ex) when (IsCorruptArchive(ex))
        {
            return new InspectionResult.Failure($"not a readable {Describe(name.Kind)}: {ex.Message}");
        }
    }

    private static InspectionResult Check(string member, byte[] bytes, DistributionFileName name)
    {
        if (!CoreMetadata.TryParse(bytes, out var metadata, out var error))
        {
            return new InspectionResult.Failure($"{member}: {error}");
        }
        if (!name.Matches(metadata.Name, metadata.Version))
        {
            return new InspectionResult.Failure(
                $"{member} describes {metadata.Name.Raw} {metadata.Version}, but the file name says {name.Project.Raw} {name.Version}");
        }
        return new InspectionResult.Success(metadata, bytes, member);
    }

    private static MemberLookup ReadTarGz(Stream file, DistributionFileName name, InspectionLimits limits)
    {
        var compressed = new BoundedReadStream(file, long.MaxValue, "");
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        var plain = new BoundedReadStream(gzip, limits.MaxScanBytes, $"it decompresses to more than {limits.MaxScanBytes} bytes, more than a source distribution is accepted with", n =>
            n > limits.RatioCheckThresholdBytes && n / Math.Max(compressed.BytesRead, 1) > limits.MaxCompressionRatio
                ? $"it decompresses more than {limits.MaxCompressionRatio} times its size (a compression bomb?)"
                : null);
        using var tar = new TarReader(plain, leaveOpen: true);
        var entries = 0;
        while (tar.GetNextEntry(copyData: false) is { } entry)
        {
            if (++entries > limits.MaxEntries)
            {
                return MemberLookup.Fail($"the archive has more than {limits.MaxEntries} entries");
            }
            var path = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (IsSdistPkgInfo(path) && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                var bytes = entry.DataStream is null ? [] : ReadCapped(entry.DataStream, limits, path);
                if (bytes.Length != entry.Length)
                {
                    return MemberLookup.Fail($"{path} declares {entry.Length} bytes but really holds {bytes.Length}: the archive is corrupt; re-build it");
                }
                // Read to the gzip trailer, within the same limits: only there are the CRC-32 and size of what came out checked.
                plain.CopyTo(Stream.Null);
                return new MemberLookup(path, bytes, null);
            }
        }
        return MemberLookup.Fail($"the archive has no PKG-INFO in its top-level directory ({name.Stem}/PKG-INFO); build it with a current build backend");
    }

    internal static bool IsSdistPkgInfo(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && path[(slash + 1)..] == "PKG-INFO" && path[..slash] is not ("." or "..");
    }

    /// <summary>Reads a tar member into memory, bounded; the ratio is watched on the whole gzip stream.</summary>
    private static byte[] ReadCapped(Stream member, InspectionLimits limits, string path)
    {
        var bounded = new BoundedReadStream(member, limits.MaxMetadataBytes, $"{path} is larger than {limits.MaxMetadataBytes} bytes");
        using var buffer = new MemoryStream();
        bounded.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static bool IsCorruptArchive(Exception ex) =>
        ex is InvalidDataException or EndOfStreamException or FormatException or NotSupportedException
            or ArgumentException or OverflowException;

    private static string Describe(DistributionKind kind) => kind switch
    {
        DistributionKind.Wheel => "wheel (zip archive)",
        DistributionKind.SdistZip => "zip archive",
        _ => "gzip-compressed tar archive",
    };
}

/// <summary>The metadata member found in an archive (path and bytes), or why there is none.</summary>
internal sealed record MemberLookup(string? Member, byte[]? Bytes, string? Problem)
{
    public static MemberLookup Fail(string problem) => new(null, null, problem);
}
