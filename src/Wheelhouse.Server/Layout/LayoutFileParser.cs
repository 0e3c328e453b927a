using System.Globalization;
using System.Text.Json.Nodes;
using Wheelhouse.Core;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Layout;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wheelhouse.Server.Layout;

/// <summary>
/// Reads a layout file (YAML) into a <see cref="LayoutSpec"/>, strictly: unknown keys, wrong shapes and YAML syntax
/// errors are reported with their line, all at once. Index values are handed on in devpi's JSON shape, so the very
/// rules of the HTTP API judge them (<see cref="LayoutPlanner"/> does that). See docs/examples/department-layout.yaml.
/// </summary>
public static class LayoutFileParser
{
    private static readonly string[] TopKeys = ["version", "users", "indexes"];
    private static readonly string[] UserKeys = ["password_hash", "password_env", "email", "title", "description", "groups"];

    /// <summary>Reads and parses a file; a missing or unreadable file is a problem like any other.</summary>
    public static Validated<LayoutSpec> ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Invalid($"cannot read layout file {path}: {e.Message}");
        }
        return Parse(text, Path.GetFileName(path));
    }

    public static Validated<LayoutSpec> Parse(string text, string sourceName)
    {
        var problems = new List<string>();
        string At(YamlNode node) => $"{sourceName} line {node.Start.Line}";
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return Invalid($"{sourceName} line {e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return Invalid($"{sourceName}: a layout file is one YAML mapping with the keys {string.Join(", ", TopKeys)}");
        }
        var users = new List<LayoutUserSpec>();
        var indexes = new List<LayoutIndexSpec>();
        foreach (var (keyNode, value) in root.Children)
        {
            switch (Key(keyNode))
            {
                case "version":
                    if (value is not YamlScalarNode { Value: "1" })
                    {
                        problems.Add($"{At(value)}: version must be 1");
                    }
                    break;
                case "users":
                    foreach (var (name, body) in Entries(value, "users", At, problems))
                    {
                        users.Add(ReadUser(name, body, At, problems));
                    }
                    break;
                case "indexes":
                    foreach (var (path, body) in Entries(value, "indexes", At, problems))
                    {
                        indexes.Add(ReadIndex(path, body, At, problems));
                    }
                    break;
                default:
                    problems.Add($"{At(keyNode)}: unknown key '{Key(keyNode)}' (valid keys: {string.Join(", ", TopKeys)})");
                    break;
            }
        }
        return problems.Count == 0 ? new Validated<LayoutSpec>.Valid(new LayoutSpec(users, indexes)) : new Validated<LayoutSpec>.Invalid(problems);
    }

    private static IEnumerable<(string Name, YamlNode Body)> Entries(YamlNode node, string section, Func<YamlNode, string> at, List<string> problems)
    {
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            yield break;
        }
        if (node is not YamlMappingNode mapping)
        {
            problems.Add($"{at(node)}: '{section}' must be a mapping of names to settings");
            yield break;
        }
        foreach (var (key, body) in mapping.Children)
        {
            yield return (Key(key), body);
        }
    }

    private static LayoutUserSpec ReadUser(string name, YamlNode body, Func<YamlNode, string> at, List<string> problems)
    {
        var user = new LayoutUserSpec(name, at(body));
        foreach (var (keyNode, value) in Settings(body, $"user {name}", at, problems))
        {
            var key = Key(keyNode);
            switch (key)
            {
                case "groups":
                    user = user with { Groups = StringList(value, $"user {name}: groups", at, problems) };
                    break;
                case "password":
                    problems.Add($"{at(keyNode)}: user {name}: plain passwords are not accepted in a layout file; "
                        + "use password_env (the name of an environment variable) or password_hash");
                    break;
                case "password_hash" or "password_env" or "email" or "title" or "description":
                    var text = Scalar(value, $"user {name}: {key}", at, problems);
                    user = key switch
                    {
                        "password_hash" => user with { PasswordHash = text },
                        "password_env" => user with { PasswordEnv = text },
                        "email" => user with { Email = text },
                        "title" => user with { Title = text },
                        _ => user with { Description = text },
                    };
                    break;
                default:
                    problems.Add($"{at(keyNode)}: user {name}: unknown key '{key}' (valid keys: {string.Join(", ", UserKeys)})");
                    break;
            }
        }
        return user;
    }

    private static LayoutIndexSpec ReadIndex(string path, YamlNode body, Func<YamlNode, string> at, List<string> problems)
    {
        var settings = Settings(body, $"index {path}", at, problems).ToList();
        var type = settings.Where(s => Key(s.Key) == "type").Select(s => (s.Value as YamlScalarNode)?.Value).FirstOrDefault() ?? "stage";
        var allowed = IndexConfigKeys.For(type == "mirror" ? IndexType.Mirror : IndexType.Stage);
        var config = new JsonObject();
        foreach (var (keyNode, value) in settings)
        {
            var key = Key(keyNode);
            if (!allowed.Contains(key))
            {
                problems.Add($"{at(keyNode)}: index {path}: unknown key '{key}' for a {(type == "mirror" ? "mirror" : "stage")} index "
                    + $"(valid keys: {string.Join(", ", allowed)})");
                continue;
            }
            config[key] = ToJson(value, typed: key == "custom_data");
        }
        return new LayoutIndexSpec(path, config, at(body));
    }

    private static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Settings(YamlNode body, string what, Func<YamlNode, string> at, List<string> problems)
    {
        if (body is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }
        if (body is not YamlMappingNode mapping)
        {
            problems.Add($"{at(body)}: {what}: expected a mapping of settings");
            return [];
        }
        return mapping.Children;
    }

    private static string? Scalar(YamlNode node, string what, Func<YamlNode, string> at, List<string> problems)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }
        problems.Add($"{at(node)}: {what}: expected a single value");
        return null;
    }

    private static List<string>? StringList(YamlNode node, string what, Func<YamlNode, string> at, List<string> problems)
    {
        switch (node)
        {
            case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                return sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "").Where(v => v.Length > 0).ToList();
            case YamlScalarNode scalar:
                return (scalar.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            default:
                problems.Add($"{at(node)}: {what}: expected a list of names");
                return null;
        }
    }

    /// <summary>
    /// devpi's JSON shape. Index keys take strings (the API's coercion reads "true", "yes", "1800" the same way a
    /// k=v PATCH does); <c>custom_data</c> keeps YAML's types.
    /// </summary>
    private static JsonNode? ToJson(YamlNode node, bool typed) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" } => null,
        YamlScalarNode scalar when typed && scalar.Style == ScalarStyle.Plain => TypedScalar(scalar.Value!),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(c => ToJson(c, typed)).ToArray()),
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(kv => KeyValuePair.Create(Key(kv.Key), ToJson(kv.Value, typed)))),
        _ => null,
    };

    private static JsonValue TypedScalar(string value) => value switch
    {
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };

    private static string Key(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : node.ToString();

    private static Validated<LayoutSpec> Invalid(string problem) => new Validated<LayoutSpec>.Invalid([problem]);
}
