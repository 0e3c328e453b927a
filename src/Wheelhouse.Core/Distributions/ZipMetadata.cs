using System.IO.Compression;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;

namespace Wheelhouse.Core.Distributions;

/// <summary>Finds the metadata member of a zip: a wheel's one <c>.dist-info/METADATA</c> or a zip sdist's <c>dir/PKG-INFO</c>.</summary>
internal static class ZipMetadata
{
    public static MemberLookup ReadWheel(Stream file, DistributionFileName name, InspectionLimits limits)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > limits.MaxEntries)
        {
            return MemberLookup.Fail($"the archive has more than {limits.MaxEntries} entries");
        }
        var distInfos = zip.Entries
            .Where(e => e.FullName.Contains('/'))
            .Select(e => e.FullName[..e.FullName.IndexOf('/', StringComparison.Ordinal)])
            .Where(top => top.EndsWith(".dist-info", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (distInfos.Count != 1)
        {
            return MemberLookup.Fail(distInfos.Count == 0
                ? $"the archive has no .dist-info directory, so it is not a wheel (PEP 427)"
                : $"the archive has {distInfos.Count} .dist-info directories ({string.Join(", ", distInfos.Order(StringComparer.Ordinal))}); a wheel has exactly one");
        }
        var dir = distInfos[0];
        var stem = dir[..^".dist-info".Length];
        var dash = stem.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !ProjectName.TryParse(stem[..dash], out var project) || !Pep440Version.TryParse(stem[(dash + 1)..], out var version)
            || !name.Matches(project, version))
        {
            return MemberLookup.Fail($"the wheel contains {dir}, expected {name.Project.FileNameEscaped}-{name.Version}.dist-info");
        }
        var member = dir + "/METADATA";
        var matches = zip.Entries.Where(e => e.FullName == member).ToList();
        if (matches.Count != 1)
        {
            return MemberLookup.Fail(matches.Count == 0 ? $"the archive has no {member}" : $"the wheel contains {member} {matches.Count} times");
        }
        return Read(file, matches[0], limits);
    }

    public static MemberLookup ReadSdist(Stream file, DistributionFileName name, InspectionLimits limits)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > limits.MaxEntries)
        {
            return MemberLookup.Fail($"the archive has more than {limits.MaxEntries} entries");
        }
        var candidates = zip.Entries.Where(e => DistributionInspector.IsSdistPkgInfo(e.FullName)).ToList();
        var entry = candidates.FirstOrDefault(e => e.FullName == name.Stem + "/PKG-INFO") ?? candidates.FirstOrDefault();
        return entry is null
            ? MemberLookup.Fail($"the archive has no PKG-INFO in its top-level directory ({name.Stem}/PKG-INFO)")
            : Read(file, entry, limits);
    }

    // Not entry.Open(): it believes the sizes the headers declare (see ZipMemberReader).
    private static MemberLookup Read(Stream file, ZipArchiveEntry entry, InspectionLimits limits) =>
        new(entry.FullName, ZipMemberReader.Read(file, entry.FullName, limits), null);
}
