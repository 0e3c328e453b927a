using System.Diagnostics.CodeAnalysis;

namespace Wheelhouse.Core.Indexes;

/// <summary>A user name (case-sensitive, as in devpi). <c>root</c> is the administrator.</summary>
public sealed record UserName
{
    public static readonly UserName Root = new("root");

    private UserName(string value) => Value = value;

    public string Value { get; }

    public bool IsRoot => Value == Root.Value;

    public static bool TryParse(string? raw, [NotNullWhen(true)] out UserName? name, [NotNullWhen(false)] out string? error)
    {
        error = NameRules.Check(raw, "user");
        name = error is null ? new UserName(raw!) : null;
        return error is null;
    }

    /// <summary>Parses a name for a user being created: <see cref="TryParse(string?, out UserName?, out string?)"/> plus the rules for new names.</summary>
    public static bool TryParseNew(string? raw, [NotNullWhen(true)] out UserName? name, [NotNullWhen(false)] out string? error)
    {
        error = NameRules.CheckNew(raw, "user");
        name = error is null ? new UserName(raw!) : null;
        return error is null;
    }

    public static UserName Parse(string raw) => TryParse(raw, out var name, out var error) ? name : throw new FormatException(error);

    public override string ToString() => Value;
}
