namespace Wheelhouse.Packaging.Dependencies;

/// <summary>One comma-separated item of Depends: alternatives separated by " | ".</summary>
public sealed record DependencyGroup(IReadOnlyList<PackageRelation> Alternatives)
{
    public static DependencyGroup Of(params PackageRelation[] alternatives) => new(alternatives);

    public static DependencyGroup Of(params string[] packages) => new(packages.Select(p => new PackageRelation(p)).ToList());

    public static DependencyGroup Parse(string text) =>
        new(text.Split('|').Select(PackageRelation.Parse).ToList());

    /// <summary>Groups with the same packages in the same order are the same requirement, whatever the versions.</summary>
    public string Key => string.Join('|', Alternatives.Select(a => a.Package));

    public override string ToString() => string.Join(" | ", Alternatives);
}
