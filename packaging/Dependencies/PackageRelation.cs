using System.Text.RegularExpressions;
using Wheelhouse.Packaging.Versioning;

namespace Wheelhouse.Packaging.Dependencies;

/// <summary>One package in a relationship field, optionally versioned: "libc6 (>= 2.34)".</summary>
public sealed partial record PackageRelation(string Package, string? Operator = null, DebianVersion? Version = null)
{
    public static PackageRelation AtLeast(string package, string version) => new(package, ">=", DebianVersion.Parse(version));

    public static PackageRelation Parse(string text)
    {
        var match = Relation().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is not a package relation like 'name' or 'name (>= 1.0)'");
        }

        return match.Groups["op"].Success
            ? new PackageRelation(match.Groups["name"].Value, match.Groups["op"].Value, DebianVersion.Parse(match.Groups["version"].Value))
            : new PackageRelation(match.Groups["name"].Value);
    }

    public override string ToString() => Operator is null ? Package : $"{Package} ({Operator} {Version})";

    [GeneratedRegex(@"^(?<name>[a-z0-9][a-z0-9+.-]+)(?:\s*\(\s*(?<op><<|<=|=|>=|>>)\s*(?<version>[^\s)]+)\s*\))?$")]
    private static partial Regex Relation();
}
