using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Configuration;

/// <summary>
/// Everything the server is configured with, after file, environment and command line are merged and validated.
/// See wheelhouse.example.json for the documented keys.
/// </summary>
public sealed record ServerOptions
{
    public const int DefaultPort = 3141;

    /// <summary>Address to listen on (config <c>host</c>, env <c>WHEELHOUSE_HOST</c>, <c>--host</c>).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (config <c>port</c>, env <c>WHEELHOUSE_PORT</c>, <c>--port</c>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Where the database, blobs and secrets live (config <c>dataDir</c>, env <c>WHEELHOUSE_DATA_DIR</c>, <c>--data-dir</c>).</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory();

    /// <summary>The URL clients see, when a proxy does not send X-Outside-URL (config <c>outsideUrl</c>).</summary>
    public Uri? OutsideUrl { get; init; }

    /// <summary>The root password to set on first start / init; otherwise one is generated into the data dir.</summary>
    public string? RootPassword { get; init; }

    /// <summary>Largest accepted upload file, in bytes (config <c>maxUploadSize</c>); bigger gets 413.</summary>
    public long MaxUploadSize { get; init; } = 1L << 30;

    /// <summary>How long a login token is valid, in seconds (devpi: 10 hours).</summary>
    public int TokenLifetimeSeconds { get; init; } = 36000;

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> names the client in refusal log lines and the failed-login limit (config
    /// <c>trustedProxies</c>, env <c>WHEELHOUSE_TRUSTED_PROXIES</c>); loopback by default, as the packaged nginx site runs there.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = Configuration.TrustedProxies.Default;

    /// <summary>
    /// Who may read <c>/+metrics</c> (config <c>metricsAllowedFrom</c>, env <c>WHEELHOUSE_METRICS_ALLOWED_FROM</c>): IP
    /// addresses or CIDR ranges; loopback by default. Judged by the client's address as resolved through trustedProxies.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> MetricsAllowedFrom { get; init; } = Configuration.TrustedProxies.Default;

    /// <summary>
    /// The forward proxy for mirror traffic (config <c>mirrorProxy</c>/<c>mirrorNoProxy</c>, else the process's
    /// <c>https_proxy</c>/<c>http_proxy</c>/<c>no_proxy</c>); null: mirrors are reached directly.
    /// </summary>
    public Mirrors.MirrorProxy? MirrorProxy { get; init; }

    /// <summary>
    /// Where the metadata lives (config <c>storage.kind</c>, <c>storage.connectionString</c>, <c>storage.passwordFile</c>;
    /// env <c>WHEELHOUSE_STORAGE_*</c>): the data directory's SQLite file by default, or a PostgreSQL database that
    /// several nodes may share. The connection string holds the password: never log it.
    /// </summary>
    public Storage.StorageSettings Storage { get; init; } = Wheelhouse.Storage.StorageSettings.Sqlite;

    /// <summary>Minimum level written to the log.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>devpi-ldap's YAML file (config <c>ldapConfig</c>, env <c>WHEELHOUSE_LDAP_CONFIG</c>, <c>--ldap-config</c>); none: local users only.</summary>
    public string? LdapConfigFile { get; init; }

    /// <summary>The directory configuration read from <see cref="LdapConfigFile"/>.</summary>
    public LdapSettings? Ldap { get; init; }

    /// <summary>How the web pages look (config <c>theme*</c> keys).</summary>
    public WebTheme Theme { get; init; } = WebTheme.Default;

    /// <summary>The configuration file this came from, if any (for messages).</summary>
    public string? ConfigFile { get; init; }

    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "wheelhouse-server");
    }
}
