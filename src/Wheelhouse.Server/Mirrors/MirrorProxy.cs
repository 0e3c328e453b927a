using System.Net;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// The forward proxy mirror traffic goes through: one for http:// upstreams, one for https:// upstreams, and the
/// hosts reached directly (NO_PROXY). Comes from the <c>mirrorProxy</c>/<c>mirrorNoProxy</c> settings or, when those
/// are absent, from the <c>https_proxy</c>/<c>http_proxy</c>/<c>no_proxy</c> variables as curl and pip read them.
/// </summary>
public sealed record MirrorProxy(Uri? HttpProxy, Uri? HttpsProxy, IReadOnlyList<string> NoProxy)
{
    /// <summary>Schemes SocketsHttpHandler can speak to a proxy.</summary>
    public static readonly IReadOnlyList<string> Schemes = ["http", "socks4", "socks4a", "socks5"];

    /// <summary><c>mirrorProxy</c>'s value for "connect directly, whatever https_proxy and http_proxy say".</summary>
    public const string None = "none";

    /// <summary>
    /// From the settings: <c>mirrorProxy</c> serves http:// and https:// mirrors alike (<see cref="None"/>: direct);
    /// without it the environment's https_proxy/http_proxy decide, as for pip and curl. <c>mirrorNoProxy</c>, else
    /// no_proxy, lists the hosts reached directly. Null for direct connections, and with a problem added for a bad value.
    /// </summary>
    /// <param name="proxy">mirrorProxy and where it was given; a blank or absent value defers to the environment.</param>
    public static MirrorProxy? FromSettings((string? Value, string Source) proxy, string? noProxySetting, IDictionary<string, string?> environment,
        List<string> problems)
    {
        var noProxy = string.IsNullOrWhiteSpace(noProxySetting) ? null : ParseNoProxy(noProxySetting);
        if (!string.IsNullOrWhiteSpace(proxy.Value))
        {
            var value = proxy.Value.Trim();
            if (value == None)
            {
                return null;
            }
            if (!TryParseProxy(value, out var uri))
            {
                problems.Add($"{proxy.Source}: mirrorProxy must be a proxy URL such as http://proxy.example.com:3128 "
                    + $"({string.Join(", ", Schemes)}; no path), or \"{None}\" to ignore https_proxy and http_proxy");
                return null;
            }
            return new MirrorProxy(uri, uri, noProxy ?? []);
        }
        var fromEnvironment = FromEnvironment(environment, problems);
        return fromEnvironment is not null && noProxy is not null ? fromEnvironment with { NoProxy = noProxy } : fromEnvironment;
    }

    /// <summary>
    /// The variables in the order they are looked at (the lower-case spelling first, as curl does). Null when none
    /// names a proxy. A bad value is a problem, not silently a direct connection.
    /// </summary>
    public static MirrorProxy? FromEnvironment(IDictionary<string, string?> environment, List<string> problems)
    {
        string? Variable(params string[] names)
        {
            foreach (var name in names)
            {
                if (environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
                {
                    return name;
                }
            }

            return null;
        }
        Uri? ProxyFrom(string? name)
        {
            if (name is null)
            {
                return null;
            }

            var value = environment[name]!.Trim();
            if (TryParseProxy(value, out var uri))
            {
                return uri;
            }

            problems.Add($"environment variable {name}: '{Redacted(value)}' is not a proxy URL such as http://proxy.example.com:3128");
            return null;
        }
        var https = ProxyFrom(Variable("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"));
        var http = ProxyFrom(Variable("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"));
        if (https is null && http is null)
        {
            return null;
        }

        var noProxy = Variable("no_proxy", "NO_PROXY") is { } n ? ParseNoProxy(environment[n]!) : [];
        return new MirrorProxy(http, https, noProxy);
    }

    /// <summary>A proxy URL: http://host:port (a missing scheme means http://, as curl reads it), no path or query.</summary>
    public static bool TryParseProxy(string value, out Uri? proxy)
    {
        proxy = null;
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme) || uri.Host.Length == 0
            || uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }
        proxy = uri;
        return true;
    }

    /// <summary>Host names (a leading '.' or '*.' is the same as none: the name and every name under it), or '*' for all.</summary>
    public static IReadOnlyList<string> ParseNoProxy(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.StartsWith("*.", StringComparison.Ordinal) ? e[2..] : e.TrimStart('.'))
            .Select(e => e.StartsWith('[') && e.EndsWith(']') ? e[1..^1] : e)
            .Where(e => e.Length > 0)
            .Select(e => e.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Whether <paramref name="target"/> is reached directly: its host is listed in NO_PROXY, or lies under a listed domain.</summary>
    public bool Bypasses(Uri target)
    {
        var host = target.IdnHost.Trim('[', ']').ToLowerInvariant();
        foreach (var entry in NoProxy)
        {
            if (entry == "*")
            {
                return true;
            }
            // "host:port" applies to that port only.
            var (name, port) = SplitPort(entry);
            if (port is { } p && p != target.Port)
            {
                continue;
            }

            if (host == name || host.EndsWith("." + name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The proxy for a request to <paramref name="target"/>, or null to connect directly.</summary>
    public Uri? For(Uri target) =>
        Bypasses(target) ? null : target.Scheme == Uri.UriSchemeHttps ? HttpsProxy : HttpProxy;

    /// <summary>For SocketsHttpHandler.Proxy; credentials in the proxy URL become the proxy's credentials.</summary>
    public IWebProxy ToWebProxy() => new WebProxyAdapter(this);

    /// <summary>For logs and messages: the proxies without any user name or password.</summary>
    public override string ToString() =>
        $"http: {Describe(HttpProxy)}, https: {Describe(HttpsProxy)}, direct: {(NoProxy.Count == 0 ? "none" : string.Join(",", NoProxy))}";

    private static string Describe(Uri? proxy) => proxy is null ? "direct" : $"{proxy.Scheme}://{proxy.Authority}";

    private static string Redacted(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 ? value.Replace(uri.UserInfo, "***", StringComparison.Ordinal) : value;

    private static (string Name, int? Port) SplitPort(string entry)
    {
        var colon = entry.LastIndexOf(':');
        // An IPv6 address has several colons and no port in NO_PROXY.
        if (colon > 0 && entry.IndexOf(':') == colon && int.TryParse(entry[(colon + 1)..], out var port))
        {
            return (entry[..colon], port);
        }

        return (entry, null);
    }

    private sealed class WebProxyAdapter(MirrorProxy proxy) : IWebProxy
    {
        public ICredentials? Credentials { get; set; } = new ProxyCredentials(proxy);

        public Uri? GetProxy(Uri destination) => proxy.For(destination);

        public bool IsBypassed(Uri host) => proxy.For(host) is null;
    }

    /// <summary>The user name and password of whichever proxy is asked for (user:password@ in its URL).</summary>
    private sealed class ProxyCredentials(MirrorProxy proxy) : ICredentials
    {
        public NetworkCredential? GetCredential(Uri uri, string authType)
        {
            var match = new[] { proxy.HttpProxy, proxy.HttpsProxy }.FirstOrDefault(p => p is not null && p.Authority == uri.Authority && p.UserInfo.Length > 0);
            if (match is null)
            {
                return null;
            }

            var parts = match.UserInfo.Split(':', 2);
            return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }
    }
}
