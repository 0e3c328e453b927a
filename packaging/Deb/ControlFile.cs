using System.Text;
using System.Text.RegularExpressions;

namespace Wheelhouse.Packaging.Deb;

/// <summary>
/// A binary package's DEBIAN/control: one paragraph of ordered fields (deb-control(5)). Field names are matched
/// case-insensitively and kept in their original spelling and order. Immutable: the With... methods return copies.
/// </summary>
public sealed partial class ControlFile
{
    private static readonly string[] RequiredFields = ["Package", "Version", "Architecture", "Maintainer", "Description"];

    private ControlFile(IReadOnlyList<ControlField> fields) => Fields = fields;

    public IReadOnlyList<ControlField> Fields { get; }

    public string? this[string name] => Fields.FirstOrDefault(f => Same(f.Name, name))?.Value;

    public string Package => Required("Package");

    public string Version => Required("Version");

    public string Architecture => Required("Architecture");

    /// <summary>Builds a control file from fields, validating names, values and the required fields.</summary>
    public static ControlFile Create(IEnumerable<ControlField> fields)
    {
        var list = fields.ToList();
        var problems = Validate(list);
        if (problems.Count > 0)
        {
            throw new FormatException("invalid control file: " + string.Join("; ", problems));
        }

        return new ControlFile(list);
    }

    public static ControlFile Create(params (string Name, string Value)[] fields) =>
        Create(fields.Select(f => new ControlField(f.Name, f.Value)));

    /// <summary>Parses rendered control text (e.g. from a template). Every problem is reported at once.</summary>
    public static ControlFile Parse(string text)
    {
        var fields = new List<ControlField>();
        var problems = new List<string>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var last = lines.Length;
        while (last > 0 && lines[last - 1].Length == 0)
        {
            last--;
        }

        string? name = null;
        var value = new StringBuilder();
        for (var i = 0; i < last; i++)
        {
            var line = lines[i];
            var lineNo = i + 1;
            if (line.Length == 0 || line.Trim().Length == 0)
            {
                problems.Add($"line {lineNo}: blank line; a binary control file is a single paragraph");
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (name is null)
                {
                    problems.Add($"line {lineNo}: continuation line before any field");
                    continue;
                }

                value.Append('\n').Append(line.TrimEnd());
                continue;
            }

            if (line[0] == '#')
            {
                problems.Add($"line {lineNo}: comments are not allowed in a binary control file");
                continue;
            }

            if (name is not null)
            {
                fields.Add(new ControlField(name, value.ToString()));
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                problems.Add($"line {lineNo}: expected 'Field: value', got '{line}'");
                name = null;
                continue;
            }

            name = line[..colon];
            value.Clear().Append(line[(colon + 1)..].Trim());
        }

        if (name is not null)
        {
            fields.Add(new ControlField(name, value.ToString()));
        }

        problems.AddRange(Validate(fields));
        if (problems.Count > 0)
        {
            throw new FormatException("invalid control file: " + string.Join("; ", problems));
        }

        return new ControlFile(fields);
    }

    public string Required(string name) =>
        this[name] ?? throw new InvalidOperationException($"control file has no {name} field");

    /// <summary>Replaces the field's value in place, or adds it after <paramref name="after"/> (or at the end).</summary>
    public ControlFile With(string name, string value, string? after = null)
    {
        var list = Fields.ToList();
        var index = list.FindIndex(f => Same(f.Name, name));
        if (index >= 0)
        {
            list[index] = list[index] with { Value = value };
        }
        else
        {
            var anchor = after is null ? -1 : list.FindIndex(f => Same(f.Name, after));
            list.Insert(anchor >= 0 ? anchor + 1 : list.Count, new ControlField(name, value));
        }

        return Create(list);
    }

    public ControlFile Without(string name) => Create(Fields.Where(f => !Same(f.Name, name)));

    /// <summary>The control text: "Name: value" lines, continuation lines as given, ending in one newline.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var field in Fields)
        {
            text.Append(field.Name).Append(':');
            if (field.Value.Length > 0 && field.Value[0] != '\n')
            {
                text.Append(' ');
            }

            text.Append(field.Value).Append('\n');
        }

        return text.ToString();
    }

    private static List<string> Validate(List<ControlField> fields)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            if (!FieldName().IsMatch(field.Name))
            {
                problems.Add($"'{field.Name}' is not a valid field name");
            }

            if (!seen.Add(field.Name))
            {
                problems.Add($"field {field.Name} appears twice");
            }

            var lines = field.Value.Split('\n');
            if (lines.Skip(1).Any(l => l.Length < 2 || l[0] is not (' ' or '\t')))
            {
                problems.Add($"field {field.Name}: continuation lines must start with a space and not be empty (use ' .')");
            }

            if (lines[0].Length == 0 && lines.Length == 1 && !Same(field.Name, "Description"))
            {
                problems.Add($"field {field.Name} is empty");
            }
        }

        foreach (var required in RequiredFields.Where(r => !seen.Contains(r)))
        {
            problems.Add($"required field {required} is missing");
        }

        var package = fields.FirstOrDefault(f => Same(f.Name, "Package"))?.Value;
        if (package is not null && !PackageName().IsMatch(package))
        {
            problems.Add($"package name '{package}' is invalid: lower-case letters, digits, '+', '-' and '.', at least two characters, starting with a letter or digit");
        }

        var version = fields.FirstOrDefault(f => Same(f.Name, "Version"))?.Value;
        if (version is not null && !Versioning.DebianVersion.TryParse(version, out _, out var error))
        {
            problems.Add($"version '{version}' is invalid: {error}");
        }

        var description = fields.FirstOrDefault(f => Same(f.Name, "Description"))?.Value;
        if (description is not null && description.Split('\n')[0].Trim().Length == 0)
        {
            problems.Add("Description needs a synopsis on its first line");
        }

        return problems;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[!-9;-~][!-9;-~]*$")]
    private static partial Regex FieldName();

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageName();
}
