using System.Text.RegularExpressions;

namespace Wheelhouse.Packaging.Versioning;

/// <summary>
/// Maps a commit's position relative to release tags to a Debian version (Debian revision always "1").
/// <list type="bullet">
/// <item>On a tag vX.Y.Z: X.Y.Z-1. A pre-release tag vX.Y.Z-rc.1 gives X.Y.Z~rc.1-1, which sorts before X.Y.Z-1.</item>
/// <item>N commits after vX.Y.Z: X.Y.(Z+1)~dev.N+g&lt;hash&gt;-1. '~' makes it sort before the next release X.Y.(Z+1)-1
/// (and before any later one); since X.Y.(Z+1)~ is above X.Y.Z it sorts after the tag; N compares numerically, so
/// later commits on the branch sort later; "+g&lt;hash&gt;" names the commit, as git describe does, and only breaks
/// ties between branches with equal N.</item>
/// <item>N commits after a pre-release tag vX.Y.Z-rc.1: X.Y.Z~rc.1.dev.N+g&lt;hash&gt;-1 (after rc.1, before rc.2 and X.Y.Z).</item>
/// <item>No tag: 0.0.0~dev.N+g&lt;hash&gt;-1 with N the number of commits, below every release.</item>
/// </list>
/// </summary>
public static partial class GitVersion
{
    public const string DescribeMatch = "v[0-9]*";

    /// <summary>Maps the output of <c>git describe --tags --long --match 'v[0-9]*'</c>, e.g. "v1.2.3-4-gabc1234".</summary>
    public static DebianVersion FromDescribe(string describeOutput)
    {
        var text = describeOutput.Trim();
        var match = Describe().Match(text);
        if (!match.Success)
        {
            throw new FormatException(
                $"cannot derive a version from git describe output '{text}': expected v<major>.<minor>.<patch>[-<pre-release>]-<commits>-g<hash>; release tags must look like v1.2.3 or v1.2.3-rc.1");
        }

        var major = long.Parse(match.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var minor = long.Parse(match.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var patch = long.Parse(match.Groups["patch"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var pre = match.Groups["pre"].Success ? match.Groups["pre"].Value : null;
        var commits = long.Parse(match.Groups["commits"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var hash = match.Groups["hash"].Value.ToLowerInvariant();

        string upstream;
        if (commits == 0)
        {
            upstream = pre is null ? $"{major}.{minor}.{patch}" : $"{major}.{minor}.{patch}~{pre}";
        }
        else if (pre is null)
        {
            upstream = $"{major}.{minor}.{patch + 1}~dev.{commits}+g{hash}";
        }
        else
        {
            upstream = $"{major}.{minor}.{patch}~{pre}.dev.{commits}+g{hash}";
        }

        return DebianVersion.Create(0, upstream, "1");
    }

    /// <summary>The version of a commit with no release tag in its history.</summary>
    public static DebianVersion Untagged(long commitCount, string hash)
    {
        var cleanHash = hash.Trim().ToLowerInvariant();
        if (commitCount < 1 || !HashPattern().IsMatch(cleanHash))
        {
            throw new FormatException($"cannot derive a version from commit count {commitCount} and hash '{hash}'");
        }

        return DebianVersion.Create(0, $"0.0.0~dev.{commitCount}+g{cleanHash}", "1");
    }

    [GeneratedRegex(@"^v(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)(?:-(?<pre>[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*))?-(?<commits>\d+)-g(?<hash>[0-9a-fA-F]{4,64})$")]
    private static partial Regex Describe();

    [GeneratedRegex("^[0-9a-f]{4,64}$")]
    private static partial Regex HashPattern();
}
