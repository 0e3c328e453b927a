namespace Wheelhouse.Server.Http;

/// <summary>
/// User and index names as URL segments (spec "Conventions": <c>[^+/]+</c>, no ASCII punctuation but <c>-.@_</c>).
/// </summary>
public static class PathNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(name))
        {
            error = "name is empty";
        }
        else if (name.Length > MaxLength)
        {
            error = $"name is longer than {MaxLength} characters";
        }
        else if (name[0] == '+' || name.Any(c => c is '/' or '+' || char.IsControl(c) || char.IsWhiteSpace(c) || (char.IsAsciiLetterOrDigit(c) is false && c < 128 && c is not ('-' or '.' or '@' or '_'))))
        {
            error = $"invalid name '{name}': use letters, digits and -.@_ only";
        }
        else if (name is "." or "..")
        {
            error = $"invalid name '{name}'";
        }
        return error is null;
    }
}
