namespace Wheelhouse.Packaging.Apt;

/// <summary>How the repository describes itself; Date comes from SOURCE_DATE_EPOCH so unchanged content gives an unchanged Release.</summary>
public sealed record AptRepositoryOptions(
    string Suite,
    IReadOnlyList<string> Architectures,
    DateTimeOffset Timestamp)
{
    public const string Component = "main";

    public string Codename { get; init; } = Suite;
    public string Origin { get; init; } = "Wheelhouse";
    public string Label { get; init; } = "Wheelhouse";
    public string Description { get; init; } = "Wheelhouse packages";
}
