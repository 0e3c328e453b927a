using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Wheelhouse.Server.Ldap;

/// <summary>Where in a directory configuration file a value is (<c>devpi-ldap.group_search.scope</c>), with the checks that report a problem there.</summary>
internal sealed record LdapConfigKeyPath(string Where, List<string> Problems)
{
    public LdapConfigKeyPath Child(string key) => this with { Where = Where.Contains(": ", StringComparison.Ordinal) ? $"{Where}.{key}" : $"{Where}: {key}" };

    public void Problem(string message) => Problems.Add($"{Where}: {message}");

    public T Problem<T>(string message)
    {
        Problem(message);
        return default!;
    }

    public Dictionary<string, YamlNode> Mapping(YamlNode node, string[] known)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is not YamlMappingNode mapping)
        {
            Problem("must be a mapping of keys");
            return result;
        }
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(name))
            {
                Problem($"unknown key '{name}'; known keys: {string.Join(", ", known)}");
                continue;
            }
            result[name] = value;
        }
        return result;
    }

    public string Text(YamlNode node)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }
        Problem("must be a non-empty text value");
        return "";
    }

    public bool Boolean(YamlNode node) => Text(node).ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var other => Problem<bool>($"'{other}' must be true or false"),
    };

    public double Number(YamlNode node, double min, double max)
    {
        var text = Text(node);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            return Problem<double>($"'{text}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }
        return n;
    }

    public string? ReadableFile(string path)
    {
        if (path.Length > 0 && !File.Exists(path))
        {
            Problem($"file '{path}' does not exist (or the server's user cannot see it)");
        }
        return path.Length > 0 ? path : null;
    }

    public string? Secret(string path, string? credentialsDirectory)
    {
        var full = Path.IsPathRooted(path) || string.IsNullOrEmpty(credentialsDirectory) ? path : Path.Combine(credentialsDirectory, path);
        try
        {
            var secret = File.ReadAllText(full).TrimEnd('\r', '\n');
            return secret.Length > 0 ? secret : Problem<string?>($"file '{full}' is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Problem<string?>($"cannot read '{full}': {e.Message}");
        }
    }

    public void Template(string text, string[] placeholders, string? required)
    {
        if (LdapTemplate.Placeholders(text) is not { } used)
        {
            Problem($"'{text}' has an unbalanced '{{' or '}}' (write {{{{ and }}}} for literal braces)");
            return;
        }
        foreach (var name in used.Where(n => !placeholders.Contains(n)))
        {
            Problem($"unknown placeholder '{{{name}}}'; known: {string.Join(", ", placeholders.Select(p => $"{{{p}}}"))}");
        }
        if (required is not null && !used.Contains(required))
        {
            Problem($"'{text}' must contain {{{required}}}");
        }
    }
}
