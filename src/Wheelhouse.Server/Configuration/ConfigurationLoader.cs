using System.Globalization;
using System.Text.Json;
using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Configuration;

/// <summary>
/// Merges defaults, the JSON config file, <c>WHEELHOUSE_*</c> environment variables and command-line options (in
/// that order of precedence, last wins) and reports every problem at once, each naming its key and source.
/// </summary>
public static class ConfigurationLoader
{
    public const string EnvironmentPrefix = "WHEELHOUSE_";

    /// <summary>Prefix of the variables layout files name in <c>password_env</c>; ignored as settings.</summary>
    public const string LayoutPasswordPrefix = "WHEELHOUSE_PASSWORD_";

    public const string SystemConfigFile = "/etc/wheelhouse-server/wheelhouse.json";

    /// <summary>Config key → environment variable. The file uses the keys, the environment the variables.</summary>
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["host"] = "WHEELHOUSE_HOST",
        ["port"] = "WHEELHOUSE_PORT",
        ["dataDir"] = "WHEELHOUSE_DATA_DIR",
        ["outsideUrl"] = "WHEELHOUSE_OUTSIDE_URL",
        ["rootPassword"] = "WHEELHOUSE_ROOT_PASSWORD",
        ["maxUploadSize"] = "WHEELHOUSE_MAX_UPLOAD_SIZE",
        ["tokenLifetime"] = "WHEELHOUSE_TOKEN_LIFETIME",
        ["logLevel"] = "WHEELHOUSE_LOG_LEVEL",
        ["ldapConfig"] = "WHEELHOUSE_LDAP_CONFIG",
        ["trustedProxies"] = "WHEELHOUSE_TRUSTED_PROXIES",
        ["mirrorProxy"] = "WHEELHOUSE_MIRROR_PROXY",
        ["mirrorNoProxy"] = "WHEELHOUSE_MIRROR_NO_PROXY",
        ["metricsAllowedFrom"] = "WHEELHOUSE_METRICS_ALLOWED_FROM",
        ["themeCompany"] = "WHEELHOUSE_THEME_COMPANY",
        ["themeLogo"] = "WHEELHOUSE_THEME_LOGO",
        ["themePrimaryColor"] = "WHEELHOUSE_THEME_PRIMARY_COLOR",
        ["themeAccentColor"] = "WHEELHOUSE_THEME_ACCENT_COLOR",
        ["themeFooter"] = "WHEELHOUSE_THEME_FOOTER",
        [StorageConfiguration.KindKey] = "WHEELHOUSE_STORAGE_KIND",
        [StorageConfiguration.ConnectionStringKey] = "WHEELHOUSE_STORAGE_CONNECTION_STRING",
        [StorageConfiguration.PasswordFileKey] = "WHEELHOUSE_STORAGE_PASSWORD_FILE",
    };

    /// <summary>Loads the configuration; <paramref name="cli"/> holds config keys given on the command line.</summary>
    public static ConfigurationResult Load(string? configPath, IReadOnlyDictionary<string, string> cli, IDictionary<string, string?> environment)
    {
        var problems = new List<string>();
        var values = new Dictionary<string, (string Value, string Source)>(StringComparer.Ordinal);
        configPath ??= environment.TryGetValue("WHEELHOUSE_CONFIG", out var envPath) && !string.IsNullOrEmpty(envPath) ? envPath
            : File.Exists(SystemConfigFile) ? SystemConfigFile : null;

        if (configPath is not null)
        {
            ReadFile(configPath, values, problems);
        }
        foreach (var (name, value) in environment)
        {
            // WHEELHOUSE_PASSWORD_* are the layout files' password_env variables (docs/examples), not settings.
            if (!name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) || name == "WHEELHOUSE_CONFIG" || value is null
                || name.StartsWith(LayoutPasswordPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var key = Keys.FirstOrDefault(k => k.Value == name).Key;
            if (key is null)
            {
                problems.Add($"environment variable {name}: unknown setting; known: WHEELHOUSE_CONFIG, {string.Join(", ", Keys.Values)}");
                continue;
            }
            values[key] = (value, $"environment variable {name}");
        }
        foreach (var (key, value) in cli)
        {
            values[key] = (value, $"option --{CommandLine.OptionFor(key)}");
        }

        var options = new ServerOptions { ConfigFile = configPath };
        foreach (var (key, (value, source)) in values)
        {
            options = Apply(options, key, value, source, problems);
        }
        if (options.LdapConfigFile is { } ldapFile)
        {
            // The directory's file is validated with the rest, so one start reports every problem of both.
            options = options with { Ldap = LdapConfigReader.Read(ldapFile, n => environment.TryGetValue(n, out var v) ? v : null, problems) };
        }
        options = options with
        {
            MirrorProxy = Mirrors.MirrorProxy.FromSettings(values.GetValueOrDefault("mirrorProxy"), values.GetValueOrDefault("mirrorNoProxy").Value, environment, problems),
        };
        options = options with { Storage = StorageConfiguration.Resolve(values, problems) };
        return new ConfigurationResult(problems.Count == 0 ? options : null, problems);
    }

    private static void ReadFile(string path, Dictionary<string, (string, string)> values, List<string> problems)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"config file {path}: cannot read it: {e.Message}");
            return;
        }
        catch (JsonException e)
        {
            problems.Add($"config file {path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
            return;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"config file {path}: must hold a JSON object of settings");
                return;
            }
            foreach (var (name, value) in StorageConfiguration.Flatten(doc.RootElement))
            {
                var p = (Name: name, Value: value);
                if (!Keys.ContainsKey(p.Name))
                {
                    problems.Add($"config file {path}: unknown key '{p.Name}'; known keys: {string.Join(", ", Keys.Keys)}");
                    continue;
                }
                switch (p.Value.ValueKind)
                {
                    case JsonValueKind.Null:
                        continue;
                    case JsonValueKind.String:
                    case JsonValueKind.Number:
                        values[p.Name] = (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), $"key '{p.Name}' in {path}");
                        break;
                    default:
                        problems.Add($"config file {path}: key '{p.Name}' must be a string or a number, not {p.Value.ValueKind}");
                        break;
                }
            }
        }
    }

    private static ServerOptions Apply(ServerOptions o, string key, string value, string source, List<string> problems)
    {
        switch (key)
        {
            case "host":
                if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
                {
                    problems.Add($"{source}: host '{value}' must be a host name or IP address, such as 127.0.0.1");
                    return o;
                }
                return o with { Host = value };
            case "port":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                {
                    problems.Add($"{source}: port '{value}' must be a number from 0 to 65535 (0 picks a free port)");
                    return o;
                }
                return o with { Port = port };
            case "dataDir":
                if (string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"{source}: dataDir must name a directory, such as /var/lib/wheelhouse-server");
                    return o;
                }
                return o with { DataDirectory = Path.GetFullPath(value) };
            case "outsideUrl":
                if (value.Length == 0)
                {
                    return o with { OutsideUrl = null };
                }
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.Query.Length > 0)
                {
                    problems.Add($"{source}: outsideUrl '{value}' must be an absolute http(s) URL without query, such as https://pypi.example.com/");
                    return o;
                }
                return o with { OutsideUrl = uri };
            case "rootPassword":
                return o with { RootPassword = value.Length == 0 ? null : value };
            case "maxUploadSize":
                if (!TryParseSize(value, out var size) || size < 1)
                {
                    problems.Add($"{source}: maxUploadSize '{value}' must be a positive number of bytes, optionally with K, M or G (e.g. 512M)");
                    return o;
                }
                return o with { MaxUploadSize = size };
            case "tokenLifetime":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 60)
                {
                    problems.Add($"{source}: tokenLifetime '{value}' must be a number of seconds, at least 60 (devpi uses 36000)");
                    return o;
                }
                return o with { TokenLifetimeSeconds = seconds };
            case "logLevel":
                if (!Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) || !Enum.IsDefined(level) || int.TryParse(value, out _))
                {
                    problems.Add($"{source}: logLevel '{value}' must be one of Trace, Debug, Information, Warning, Error, Critical, None");
                    return o;
                }
                return o with { LogLevel = level };
            case "ldapConfig":
                return o with { LdapConfigFile = value.Length == 0 ? null : Path.GetFullPath(value) };
            case "trustedProxies":
                return TrustedProxies.Parse(value, source, problems) is { } proxies ? o with { TrustedProxies = proxies } : o;
            case "metricsAllowedFrom":
                return TrustedProxies.Parse(value, source, problems, key) is { } allowed ? o with { MetricsAllowedFrom = allowed } : o;
            case "mirrorProxy":
            case "mirrorNoProxy":
                return o; // resolved together with the environment's proxy variables, see MirrorProxy.FromSettings
            case "themeCompany" or "themeLogo" or "themePrimaryColor" or "themeAccentColor" or "themeFooter":
                return o with { Theme = o.Theme.With(key, value, source, problems) };
            case StorageConfiguration.KindKey:
            case StorageConfiguration.ConnectionStringKey:
            case StorageConfiguration.PasswordFileKey:
                return o; // resolved together, see StorageConfiguration
            default:
                throw new InvalidOperationException($"unhandled configuration key {key}");
        }
    }

    private static bool TryParseSize(string value, out long size)
    {
        size = 0;
        var v = value.Trim();
        long factor = 1;
        if (v.Length > 0 && char.ToUpperInvariant(v[^1]) is 'K' or 'M' or 'G')
        {
            factor = char.ToUpperInvariant(v[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            v = v[..^1];
        }
        if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > long.MaxValue / factor)
        {
            return false;
        }
        size = n * factor;
        return true;
    }
}

/// <summary>Either valid options or the list of every problem found.</summary>
public sealed record ConfigurationResult(ServerOptions? Options, IReadOnlyList<string> Problems);
