using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Http;

/// <summary>
/// The server's root URL as the client sees it, for absolute links: <c>X-Outside-URL</c> (devpi's convention) first,
/// then <c>X-Forwarded-Proto/Host/Prefix</c>, then the configured <c>outsideUrl</c>, then the request itself.
/// Returned without a trailing slash.
/// </summary>
public sealed class OutsideUrl(ServerOptions options)
{
    private readonly string? _configured = options.OutsideUrl?.ToString().TrimEnd('/');

    public string For(HttpRequest request)
    {
        var headers = request.Headers;
        var outside = headers["X-Outside-URL"].ToString();
        if (outside.Length > 0 && Uri.TryCreate(outside, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }
        var host = First(headers["X-Forwarded-Host"].ToString());
        var proto = First(headers["X-Forwarded-Proto"].ToString());
        var prefix = First(headers["X-Forwarded-Prefix"].ToString()).TrimEnd('/');
        if (host.Length > 0 || proto.Length > 0 || prefix.Length > 0)
        {
            proto = proto is "http" or "https" ? proto : request.Scheme;
            host = host.Length > 0 && !host.Any(c => c is '/' or '\\' or '@' or ' ') ? host : request.Host.Value ?? "localhost";
            prefix = prefix.Length > 0 && !prefix.StartsWith('/') ? "/" + prefix : prefix;
            return $"{proto}://{host}{prefix}";
        }
        if (_configured is not null)
        {
            return _configured;
        }
        return $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}";
    }

    private static string First(string value)
    {
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        return (comma >= 0 ? value[..comma] : value).Trim();
    }
}
