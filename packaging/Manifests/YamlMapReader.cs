using YamlDotNet.RepresentationModel;

namespace Wheelhouse.Packaging.Manifests;

/// <summary>
/// Reads one YAML mapping field by field, collecting problems instead of stopping at the first,
/// and reports every key nobody asked for as unknown.
/// </summary>
internal sealed class YamlMapReader
{
    private readonly YamlMappingNode _node;
    private readonly string _file;
    private readonly string _path;
    private readonly List<ManifestProblem> _problems;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlMapReader(YamlMappingNode node, string file, string path, List<ManifestProblem> problems)
    {
        _node = node;
        _file = file;
        _path = path;
        _problems = problems;
    }

    public string? OptionalString(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        Problem(node, $"'{Name(key)}' must be a text value");
        return null;
    }

    public string RequiredString(string key)
    {
        var value = OptionalString(key);
        if (value is null && Get(key) is null)
        {
            Problem(_node, $"missing required field '{Name(key)}'");
        }
        else if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            Problem(Get(key)!, $"'{Name(key)}' must not be empty");
        }

        return value ?? "";
    }

    public IReadOnlyList<string> StringList(string key)
    {
        if (Sequence(key) is not { } sequence)
        {
            return [];
        }

        var result = new List<string>();
        foreach (var item in sequence)
        {
            if (item is YamlScalarNode { Value: { } value } && value.Length > 0)
            {
                result.Add(value);
            }
            else
            {
                Problem(item, $"every entry of '{Name(key)}' must be a non-empty text value");
            }
        }
        return result;
    }

    public IReadOnlyList<T> MapList<T>(string key, Func<YamlMapReader, T> read)
    {
        if (Sequence(key) is not { } sequence)
        {
            return [];
        }

        var result = new List<T>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode map)
            {
                var child = Child(map, $"{Name(key)}[{i}]");
                result.Add(read(child));
                child.RejectUnknownKeys();
            }
            else
            {
                Problem(sequence.Children[i], $"'{Name(key)}[{i}]' must be a mapping");
            }
        }
        return result;
    }

    /// <summary>The list under <paramref name="key"/>; null when absent, or when it is not a list (reported).</summary>
    private YamlSequenceNode? Sequence(string key)
    {
        var node = Get(key);
        if (node is null or YamlSequenceNode)
        {
            return (YamlSequenceNode?)node;
        }

        Problem(node, $"'{Name(key)}' must be a list");
        return null;
    }

    public T? OptionalMap<T>(string key, Func<YamlMapReader, T> read) where T : class
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode map)
        {
            var child = Child(map, Name(key));
            var value = read(child);
            child.RejectUnknownKeys();
            return value;
        }
        Problem(node, $"'{Name(key)}' must be a mapping");
        return null;
    }

    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var node = Get(key);
        if (node is null)
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            Problem(node, $"'{Name(key)}' must be a mapping of names to text values");
            return result;
        }
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode { Value: { } value })
            {
                result[name] = value;
            }
            else
            {
                Problem(v, $"every entry of '{Name(key)}' must be 'name: text'");
            }
        }
        return result;
    }

    public void Problem(YamlNode node, string message) =>
        _problems.Add(new ManifestProblem(_file, node.Start.Line, node.Start.Column, message));

    public void Problem(string key, string message) => Problem(Get(key) ?? _node, message);

    /// <summary>Reports every key that no reader asked for; call after reading all fields.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var key in _node.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            if (!_read.Contains(name))
            {
                Problem(key, $"unknown key '{Name(name)}' (check the spelling; see the comments in debian-templates/wheelhouse-server/manifest.yaml for every key)");
            }
        }
    }

    private YamlMapReader Child(YamlMappingNode map, string path) => new(map, _file, path, _problems);

    private YamlNode? Get(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    private string Name(string key) => _path.Length == 0 ? key : $"{_path}.{key}";
}
