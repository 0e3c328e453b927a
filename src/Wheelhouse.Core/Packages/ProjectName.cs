using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace Wheelhouse.Core.Packages;

/// <summary>
/// A Python project name, valid per PEP 508 and compared by its PEP 503 normalized form
/// (<c>re.sub(r"[-_.]+", "-", name).lower()</c>), so <c>Foo_Bar</c>, <c>foo-bar</c> and <c>FOO.bar</c> are one project.
/// </summary>
public sealed partial class ProjectName : IEquatable<ProjectName>, IComparable<ProjectName>
{
    /// <summary>Longer names are refused: nothing legitimate comes close, and it bounds every key and path built from a name.</summary>
    public const int MaxLength = 200;

    private ProjectName(string raw, string normalized)
    {
        Raw = raw;
        Normalized = normalized;
    }

    /// <summary>The name as the user or the distribution spelled it.</summary>
    public string Raw { get; }

    /// <summary>The PEP 503 normalized name: lower case, runs of <c>-_.</c> replaced by one <c>-</c>.</summary>
    public string Normalized { get; }

    /// <summary>The PEP 427 escaped form used in wheel and PEP 625 sdist file names: normalized, with <c>_</c> for <c>-</c>.</summary>
    public string FileNameEscaped => Normalized.Replace('-', '_');

    public static bool TryParse(string? raw, [NotNullWhen(true)] out ProjectName? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        if (string.IsNullOrEmpty(raw))
        {
            error = "project name is empty; give a name such as 'my-package'";
            return false;
        }
        if (raw.Length > MaxLength)
        {
            error = $"project name is {raw.Length} characters long; at most {MaxLength} are allowed";
            return false;
        }
        if (!ValidName().IsMatch(raw))
        {
            error = $"invalid project name '{Printable(raw)}': a name consists of ASCII letters, digits, '-', '_' and '.', "
                + "and starts and ends with a letter or digit (PEP 508)";
            return false;
        }
        name = new ProjectName(raw, Normalize(raw));
        error = null;
        return true;
    }

    public static bool TryParse(string? raw, [NotNullWhen(true)] out ProjectName? name) => TryParse(raw, out name, out _);

    /// <summary>Parses a name known to be valid (tests, constants); throws on invalid input because that is a bug.</summary>
    public static ProjectName Parse(string raw) =>
        TryParse(raw, out var name, out var error) ? name : throw new FormatException(error);

    /// <summary>PEP 503 normalization of any string, valid or not (used to compare names before validation).</summary>
    public static string Normalize(string raw) => Separators().Replace(raw, "-").ToLowerInvariant();

    /// <summary>True when the name as given is already in normalized form (a URL that is not gets a redirect).</summary>
    public bool IsNormalized => string.Equals(Raw, Normalized, StringComparison.Ordinal);

    public bool Equals(ProjectName? other) =>
        other is not null && string.Equals(Normalized, other.Normalized, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ProjectName other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Normalized);

    public int CompareTo(ProjectName? other) =>
        other is null ? 1 : string.CompareOrdinal(Normalized, other.Normalized);

    public static bool operator <(ProjectName? left, ProjectName? right) => Comparer<ProjectName>.Default.Compare(left, right) < 0;

    public static bool operator <=(ProjectName? left, ProjectName? right) => Comparer<ProjectName>.Default.Compare(left, right) <= 0;

    public static bool operator >(ProjectName? left, ProjectName? right) => Comparer<ProjectName>.Default.Compare(left, right) > 0;

    public static bool operator >=(ProjectName? left, ProjectName? right) => Comparer<ProjectName>.Default.Compare(left, right) >= 0;

    public static bool operator ==(ProjectName? left, ProjectName? right) => Equals(left, right);

    public static bool operator !=(ProjectName? left, ProjectName? right) => !Equals(left, right);

    /// <summary>The raw spelling; use <see cref="Normalized"/> for keys and URLs.</summary>
    public override string ToString() => Raw;

    internal static string Printable(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 80));
        foreach (var c in s.Length > 80 ? s[..80] : s)
        {
            sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }
        if (s.Length > 80)
        {
            sb.Append('…');
        }
        return sb.ToString();
    }

    // Explicit ASCII classes and \z: with IgnoreCase, [A-Z] also matches the KELVIN SIGN and others, and '$' matches
    // before a final newline.
    [GeneratedRegex(@"\A([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    /// <summary>
    /// The name a PEP 508 requirement line starts with, as spelled (before extras, a version or a marker); null for a
    /// line that starts with none (a comment, an option, a blank line).
    /// </summary>
    public static string? AtStartOf(string requirementLine) =>
        RequirementStart().Match(requirementLine) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)", RegexOptions.CultureInvariant)]
    private static partial Regex RequirementStart();

    [GeneratedRegex("[-_.]+", RegexOptions.CultureInvariant)]
    private static partial Regex Separators();
}
