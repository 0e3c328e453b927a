namespace Wheelhouse.Packaging.Versioning;

/// <summary>
/// A Debian package version, [epoch:]upstream_version[-debian_revision] (Debian Policy 5.6.12), ordered as dpkg
/// orders it (lib/dpkg/version.c). Equality is by dpkg order, so "1.0" equals "0:1.0" and "1.0-0".
/// </summary>
public sealed class DebianVersion : IComparable<DebianVersion>, IEquatable<DebianVersion>
{
    private DebianVersion(int epoch, string upstream, string revision)
    {
        Epoch = epoch;
        Upstream = upstream;
        Revision = revision;
    }

    public int Epoch { get; }

    public string Upstream { get; }

    /// <summary>The Debian revision; empty for a native version.</summary>
    public string Revision { get; }

    public static DebianVersion Create(int epoch, string upstream, string revision) =>
        Parse((epoch > 0 ? $"{epoch}:" : "") + upstream + (revision.Length > 0 ? "-" + revision : ""));

    public static DebianVersion Parse(string text) =>
        TryParse(text, out var version, out var error)
            ? version
            : throw new FormatException($"invalid Debian version '{text}': {error}");

    /// <summary>Parses like dpkg's parseversion, but treats dpkg's warnings (e.g. no leading digit) as errors.</summary>
    public static bool TryParse(string? text, out DebianVersion version, out string error)
    {
        version = null!;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            error = "version string is empty";
            return false;
        }

        if (text.Any(char.IsWhiteSpace))
        {
            error = "version string has embedded spaces";
            return false;
        }

        var epoch = 0;
        var rest = text;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var epochText = text[..colon];
            if (epochText.Length == 0 || !epochText.All(char.IsAsciiDigit))
            {
                error = "epoch in version is not a number";
                return false;
            }

            if (!int.TryParse(epochText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out epoch))
            {
                error = "epoch in version is too big";
                return false;
            }

            rest = text[(colon + 1)..];
            if (rest.Length == 0)
            {
                error = "nothing after colon in version number";
                return false;
            }
        }

        var upstream = rest;
        var revision = "";
        var hyphen = rest.LastIndexOf('-');
        if (hyphen >= 0)
        {
            upstream = rest[..hyphen];
            revision = rest[(hyphen + 1)..];
            if (revision.Length == 0)
            {
                error = "revision number is empty";
                return false;
            }
        }

        if (upstream.Length == 0)
        {
            error = "upstream version is empty";
            return false;
        }

        if (!char.IsAsciiDigit(upstream[0]))
        {
            error = "upstream version does not start with a digit";
            return false;
        }

        var badUpstream = upstream.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '~' or '-' or ':'));
        if (badUpstream != default)
        {
            error = $"invalid character '{badUpstream}' in upstream version";
            return false;
        }

        if (upstream.Contains(':', StringComparison.Ordinal))
        {
            error = "invalid character ':' in upstream version";
            return false;
        }

        var badRevision = revision.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '~'));
        if (badRevision != default)
        {
            error = $"invalid character '{badRevision}' in revision number";
            return false;
        }

        version = new DebianVersion(epoch, upstream, revision);
        return true;
    }

    public int CompareTo(DebianVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (Epoch != other.Epoch)
        {
            return Epoch.CompareTo(other.Epoch);
        }

        var upstream = DpkgVersionComparison.Compare(Upstream, other.Upstream);
        return upstream != 0 ? upstream : DpkgVersionComparison.Compare(Revision, other.Revision);
    }

    public bool Equals(DebianVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is DebianVersion other && Equals(other);

    /// <summary>Consistent with dpkg equality: leading zeros in digit runs and an empty/zero revision do not count.</summary>
    public override int GetHashCode() => HashCode.Combine(Epoch, Normalise(Upstream), Normalise(Revision));

    public override string ToString() =>
        (Epoch > 0 ? $"{Epoch}:" : "") + Upstream + (Revision.Length > 0 ? "-" + Revision : "");

    public static bool operator <(DebianVersion a, DebianVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(DebianVersion a, DebianVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(DebianVersion a, DebianVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(DebianVersion a, DebianVersion b) => a.CompareTo(b) >= 0;

    public static bool operator ==(DebianVersion? a, DebianVersion? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(DebianVersion? a, DebianVersion? b) => !(a == b);

    private static string Normalise(string part)
    {
        // Strip leading zeros of every digit run, and trailing empty/zero runs, so equal versions hash equally.
        var text = new System.Text.StringBuilder();
        var i = 0;
        while (i < part.Length)
        {
            if (char.IsAsciiDigit(part[i]))
            {
                var start = i;
                while (i < part.Length && char.IsAsciiDigit(part[i]))
                {
                    i++;
                }

                var digits = part[start..i].TrimStart('0');
                text.Append(digits.Length == 0 ? "0" : digits);
            }
            else
            {
                text.Append(part[i++]);
            }
        }

        var normal = text.ToString();
        while (normal.EndsWith('0') && (normal.Length == 1 || !char.IsAsciiDigit(normal[^2])))
        {
            normal = normal[..^1];
        }

        return normal;
    }
}
