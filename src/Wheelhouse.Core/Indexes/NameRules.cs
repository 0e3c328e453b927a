namespace Wheelhouse.Core.Indexes;

/// <summary>
/// The devpi rule for user and index names: <c>[^+/]+</c> with no ASCII punctuation other than <c>-.@_</c>.
/// We also refuse white space, control characters, "." and "..", and names over <see cref="MaxLength"/>,
/// because each name becomes a URL path segment.
/// </summary>
internal static class NameRules
{
    public const int MaxLength = 64;

    public static string? Check(string? raw, string what)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return $"{what} name is empty";
        }
        if (raw.Length > MaxLength)
        {
            return $"{what} name is {raw.Length} characters long; at most {MaxLength} are allowed";
        }
        if (raw is "." or "..")
        {
            return $"'{raw}' is not a valid {what} name";
        }
        foreach (var c in raw)
        {
            var punctuation = char.IsAscii(c) && (char.IsPunctuation(c) || char.IsSymbol(c));
            if (char.IsWhiteSpace(c) || char.IsControl(c) || (punctuation && c is not ('-' or '.' or '@' or '_')))
            {
                return $"invalid {what} name '{Packages.ProjectName.Printable(raw)}': use letters, digits and '-', '.', '@', '_' only";
            }
        }
        return null;
    }

    /// <summary>
    /// The stricter rule for a name being created: ASCII only (no look-alikes of another user's name, such as a
    /// Cyrillic 'о' in "root"), and no leading '.' (the served tree nginx reads skips dot directories, so such a
    /// user's files would never be served). Names stored before this rule stay readable through <see cref="Check"/>.
    /// </summary>
    public static string? CheckNew(string? raw, string what)
    {
        if (Check(raw, what) is { } problem)
        {
            return problem;
        }
        if (raw![0] == '.')
        {
            return $"invalid {what} name '{raw}': a name may not start with '.'";
        }
        if (!System.Text.Ascii.IsValid(raw))
        {
            return $"invalid {what} name '{Packages.ProjectName.Printable(raw)}': a new name uses ASCII letters, digits and '-', '.', '@', '_' only";
        }
        return null;
    }
}
