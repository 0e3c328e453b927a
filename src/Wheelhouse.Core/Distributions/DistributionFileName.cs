using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;

namespace Wheelhouse.Core.Distributions;

/// <summary>
/// The file name of a release file: a wheel <c>name-version(-build)?-py-abi-plat.whl</c> (PEP 427/491) or an sdist
/// <c>name-version.tar.gz</c> (PEP 625) or legacy <c>.zip</c>. Sdist names from older setuptools may keep the
/// project's own spelling (<c>my-package-1.0.tar.gz</c>); all ways of splitting such a name are kept so
/// <see cref="Matches"/> accepts the right one.
/// </summary>
public sealed partial class DistributionFileName
{
    public const int MaxLength = 255;

    private readonly IReadOnlyList<(ProjectName Project, Pep440Version Version)> _candidates;

    private DistributionFileName(string fileName, DistributionKind kind, IReadOnlyList<(ProjectName, Pep440Version)> candidates, WheelTags? tags)
    {
        FileName = fileName;
        Kind = kind;
        _candidates = candidates;
        WheelTags = tags;
    }

    public string FileName { get; }

    public DistributionKind Kind { get; }

    public bool IsWheel => Kind == DistributionKind.Wheel;

    /// <summary>The project as the file name spells it (for an ambiguous legacy sdist: the split at the last '-').</summary>
    public ProjectName Project => _candidates[0].Project;

    public Pep440Version Version => _candidates[0].Version;

    /// <summary>Null for sdists.</summary>
    public WheelTags? WheelTags { get; }

    /// <summary>The name without its extension (<c>.whl</c>, <c>.tar.gz</c>, <c>.zip</c>).</summary>
    public string Stem => FileName[..^Extension(Kind).Length];

    /// <summary>The PEP 691 / twine <c>filetype</c> of this file: <c>bdist_wheel</c> or <c>sdist</c>.</summary>
    public string FileType => IsWheel ? "bdist_wheel" : "sdist";

    /// <summary>True when the file belongs to this project and version (PEP 503 names, normalized versions).</summary>
    public bool Matches(ProjectName project, Pep440Version version) =>
        _candidates.Any(c => c.Project.Equals(project) && c.Version.Normalized == version.Normalized);

    public static bool TryParse(string? fileName, [NotNullWhen(true)] out DistributionFileName? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        error = CheckCharacters(fileName);
        if (error is not null)
        {
            return false;
        }
        var kind = fileName!.EndsWith(".whl", StringComparison.Ordinal) ? DistributionKind.Wheel
            : fileName.EndsWith(".tar.gz", StringComparison.Ordinal) ? DistributionKind.SdistTarGz
            : fileName.EndsWith(".zip", StringComparison.Ordinal) ? DistributionKind.SdistZip
            : (DistributionKind?)null;
        if (kind is null)
        {
            error = $"'{fileName}' is not a wheel (.whl) or source distribution (.tar.gz, .zip) file name";
            return false;
        }
        var stem = fileName[..^Extension(kind.Value).Length];
        return kind == DistributionKind.Wheel
            ? TryParseWheel(fileName, stem, out name, out error)
            : TryParseSdist(fileName, stem, kind.Value, out name, out error);
    }

    private static bool TryParseWheel(string fileName, string stem, out DistributionFileName? name, out string? error)
    {
        name = null;
        var parts = stem.Split('-');
        if (parts.Length is not (5 or 6))
        {
            error = $"invalid wheel file name '{fileName}': expected name-version(-build)?-python-abi-platform.whl (PEP 427)";
            return false;
        }
        if (!ProjectName.TryParse(parts[0], out var project, out var nameError))
        {
            error = $"invalid wheel file name '{fileName}': {nameError}";
            return false;
        }
        // PEP 427 escapes '-' in versions as '_', which PEP 440 reads back as the same separator.
        if (!Pep440Version.TryParse(parts[1], out var version, out var versionError))
        {
            error = $"invalid wheel file name '{fileName}': {versionError}";
            return false;
        }
        var build = parts.Length == 6 ? parts[2] : null;
        if (build is not null && !BuildTag().IsMatch(build))
        {
            error = $"invalid wheel file name '{fileName}': build tag '{build}' must start with a digit";
            return false;
        }
        var (py, abi, plat) = (parts[^3], parts[^2], parts[^1]);
        if (!new[] { py, abi, plat }.All(t => CompatibilityTag().IsMatch(t)))
        {
            error = $"invalid wheel file name '{fileName}': python, abi and platform tags must be letters, digits, '_' and '.'";
            return false;
        }
        name = new DistributionFileName(fileName, DistributionKind.Wheel, [(project, version)], new WheelTags(build, py, abi, plat));
        error = null;
        return true;
    }

    private static bool TryParseSdist(string fileName, string stem, DistributionKind kind, out DistributionFileName? name, out string? error)
    {
        name = null;
        var candidates = new List<(ProjectName, Pep440Version)>();
        for (var dash = stem.LastIndexOf('-'); dash > 0; dash = stem.LastIndexOf('-', dash - 1))
        {
            if (ProjectName.TryParse(stem[..dash], out var project) && Pep440Version.TryParse(stem[(dash + 1)..], out var version))
            {
                candidates.Add((project, version));
            }
        }
        if (candidates.Count == 0)
        {
            error = $"invalid source distribution file name '{fileName}': expected name-version{Extension(kind)} "
                + "with a valid project name and PEP 440 version (PEP 625)";
            return false;
        }
        name = new DistributionFileName(fileName, kind, candidates, null);
        error = null;
        return true;
    }

    private static string? CheckCharacters(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return "file name is empty";
        }
        if (fileName.Length > MaxLength)
        {
            return $"file name is {fileName.Length} characters long; at most {MaxLength} are allowed";
        }
        if (fileName.Contains('/') || fileName.Contains('\\') || fileName.Contains(".."))
        {
            return $"file name '{ProjectName.Printable(fileName)}' must not contain path separators or '..'";
        }
        if (fileName.Any(c => c < 0x21 || c > 0x7e))
        {
            return $"file name '{ProjectName.Printable(fileName)}' may contain only printable ASCII characters without spaces";
        }
        return null;
    }

    private static string Extension(DistributionKind kind) => kind switch
    {
        DistributionKind.Wheel => ".whl",
        DistributionKind.SdistTarGz => ".tar.gz",
        _ => ".zip",
    };

    public override string ToString() => FileName;

    [GeneratedRegex(@"\A[0-9][A-Za-z0-9_.]*\z")]
    private static partial Regex BuildTag();

    [GeneratedRegex(@"\A[A-Za-z0-9_.]+\z")]
    private static partial Regex CompatibilityTag();
}
