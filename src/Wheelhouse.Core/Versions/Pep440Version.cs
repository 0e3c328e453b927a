using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Wheelhouse.Core.Versions;

/// <summary>
/// A PEP 440 version, parsed, normalized and ordered exactly like Python's <c>packaging.version.Version</c>
/// (the reference the tests compare against). There is no legacy fallback: a string that is not PEP 440 is refused.
/// </summary>
/// <remarks>
/// Deliberate differences from <c>packaging</c>, both on input it would accept: only ASCII is accepted (Python's
/// case-insensitive regex also lets through e.g. the Kelvin sign as 'k'), only ASCII white space is trimmed,
/// and strings longer than <see cref="MaxLength"/> are refused so a request cannot make us parse megabytes.
/// </remarks>
public sealed partial class Pep440Version : IComparable<Pep440Version>, IEquatable<Pep440Version>
{
    public const int MaxLength = 200;

    private readonly BigInteger[] _release;
    private readonly string[]? _local; // lower-case segments; purely numeric ones hold digits without leading zeros

    private Pep440Version(BigInteger epoch, BigInteger[] release, PreRelease? pre, BigInteger? post, BigInteger? dev, string[]? local)
    {
        Epoch = epoch;
        _release = release;
        Pre = pre;
        Post = post;
        Dev = dev;
        _local = local;
    }

    public BigInteger Epoch { get; }

    public IReadOnlyList<BigInteger> Release => _release;

    /// <summary>The pre-release part, with the label normalized to <c>a</c>, <c>b</c> or <c>rc</c>.</summary>
    public PreRelease? Pre { get; }

    public BigInteger? Post { get; }

    public BigInteger? Dev { get; }

    /// <summary>The normalized local version label (after <c>+</c>), segments joined by <c>.</c>; null when there is none.</summary>
    public string? Local => _local is null ? null : string.Join('.', _local);

    /// <summary>The normalized form, as <c>str(packaging.version.Version(s))</c>.</summary>
    public string Normalized => field ??= BuildString(includeLocal: true);

    /// <summary>The version without its local label.</summary>
    public string Public => _local is null ? Normalized : Normalized[..Normalized.IndexOf('+', StringComparison.Ordinal)];

    /// <summary>Epoch and release only, as packaging's <c>base_version</c>.</summary>
    public string BaseVersion => (Epoch.IsZero ? "" : $"{Epoch}!") + string.Join('.', _release);

    /// <summary>True for pre-releases and dev releases, as packaging's <c>is_prerelease</c>.</summary>
    public bool IsPreRelease => Pre is not null || Dev is not null;

    public bool IsPostRelease => Post is not null;

    public bool IsDevRelease => Dev is not null;

    public bool HasLocal => _local is not null;

    public static bool TryParse(string? text, [NotNullWhen(true)] out Pep440Version? version) =>
        TryParse(text, out version, out _);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Pep440Version? version, [NotNullWhen(false)] out string? error)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "version is empty; give a PEP 440 version such as '1.0'";
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = $"version is {text.Length} characters long; at most {MaxLength} are allowed";
            return false;
        }
        if (!Ascii.IsValid(text) || !Pep440Parser.TryParse(text.AsSpan().Trim(" \t\n\r\f\v"), out var parts))
        {
            error = $"invalid version '{Printable(text)}': not a PEP 440 version "
                + "(examples: 1.0, 2.1.3, 1.0rc1, 1.0.post1, 1.0.dev2, 1!2.0, 1.0+local.1)";
            return false;
        }
        version = new Pep440Version(parts.Epoch, parts.Release, parts.Pre, parts.Post, parts.Dev, parts.Local);
        error = null;
        return true;
    }

    /// <summary>Parses a version known to be valid (tests, constants); invalid input is a bug and throws.</summary>
    public static Pep440Version Parse(string text) =>
        TryParse(text, out var version, out var error) ? version : throw new FormatException(error);

    private string BuildString(bool includeLocal)
    {
        var sb = new StringBuilder();
        if (!Epoch.IsZero)
        {
            sb.Append(Epoch.ToString(CultureInfo.InvariantCulture)).Append('!');
        }
        sb.AppendJoin('.', _release.Select(r => r.ToString(CultureInfo.InvariantCulture)));
        if (Pre is { } p)
        {
            sb.Append(p.Label).Append(p.Number.ToString(CultureInfo.InvariantCulture));
        }
        if (Post is { } post)
        {
            sb.Append(".post").Append(post.ToString(CultureInfo.InvariantCulture));
        }
        if (Dev is { } dev)
        {
            sb.Append(".dev").Append(dev.ToString(CultureInfo.InvariantCulture));
        }
        if (includeLocal && _local is not null)
        {
            sb.Append('+').AppendJoin('.', _local);
        }
        return sb.ToString();
    }

    public override string ToString() => Normalized;

    private static string Printable(string s) => Packages.ProjectName.Printable(s);
}
