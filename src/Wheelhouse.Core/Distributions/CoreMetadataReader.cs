namespace Wheelhouse.Core.Distributions;

/// <summary>
/// The RFC 822 layer of core metadata: header fields with continuation lines, then an optional body that is the
/// description. Like Python's email parser, a line that is not a header ends the headers.
/// </summary>
internal static class CoreMetadataReader
{
    public static Dictionary<string, List<string>> Read(string text)
    {
        var fields = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var i = 0;
        string? field = null;
        var value = new List<string>();
        for (; i < lines.Length; i++)
        {
            var line = lines[i];
            if (field is not null && line.Length > 0 && line[0] is ' ' or '\t')
            {
                value.Add(line);
                continue;
            }
            Flush(fields, field, value);
            field = null;
            if (line.Length == 0)
            {
                i++;
                break;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(c => c is ' ' or '\t'))
            {
                break; // not a header: the rest is the body
            }
            field = line[..colon];
            value = [line[(colon + 1)..]];
        }
        Flush(fields, field, value);
        var body = string.Join('\n', lines.Skip(i)).TrimEnd('\n');
        if (body.Trim().Length > 0)
        {
            fields["Description"] = [body];
        }
        return fields;
    }

    private static void Flush(Dictionary<string, List<string>> fields, string? field, List<string> value)
    {
        if (field is null)
        {
            return;
        }
        var unfolded = Unescape(value);
        if (!fields.TryGetValue(field, out var values))
        {
            fields[field] = values = [];
        }
        if (!CoreMetadata.MultipleUseFields.Contains(field))
        {
            values.Clear();
        }
        values.Add(unfolded);
    }

    // setuptools' rfc822_unescape: first line stripped of leading blanks, continuation lines dedented; old
    // setuptools wrote the description with a "       |" margin, which is removed too.
    private static string Unescape(List<string> lines)
    {
        var first = lines[0].TrimStart(' ', '\t').TrimEnd('\r');
        if (lines.Count == 1)
        {
            return first.TrimEnd();
        }
        var rest = lines.Skip(1).ToList();
        if (rest.All(l => l.StartsWith("       |", StringComparison.Ordinal) || l.StartsWith("        |", StringComparison.Ordinal)))
        {
            rest = rest.Select(l => l[(l.IndexOf('|', StringComparison.Ordinal) + 1)..]).ToList();
        }
        else
        {
            var indent = rest.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ', '\t').Length).DefaultIfEmpty(0).Min();
            rest = rest.Select(l => l.Length >= indent ? l[indent..] : "").ToList();
        }
        return string.Join('\n', [first, .. rest]).TrimEnd();
    }
}
