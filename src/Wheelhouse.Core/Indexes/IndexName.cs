using System.Diagnostics.CodeAnalysis;

namespace Wheelhouse.Core.Indexes;

/// <summary>The name of an index within its user's namespace (case-sensitive, as in devpi).</summary>
public sealed record IndexName
{
    private IndexName(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? raw, [NotNullWhen(true)] out IndexName? name, [NotNullWhen(false)] out string? error)
    {
        error = NameRules.Check(raw, "index");
        name = error is null ? new IndexName(raw!) : null;
        return error is null;
    }

    /// <summary>Parses a name for a index being created: <see cref="TryParse(string?, out IndexName?, out string?)"/> plus the rules for new names.</summary>
    public static bool TryParseNew(string? raw, [NotNullWhen(true)] out IndexName? name, [NotNullWhen(false)] out string? error)
    {
        error = NameRules.CheckNew(raw, "index");
        name = error is null ? new IndexName(raw!) : null;
        return error is null;
    }

    public static IndexName Parse(string raw) => TryParse(raw, out var name, out var error) ? name : throw new FormatException(error);

    public override string ToString() => Value;
}
