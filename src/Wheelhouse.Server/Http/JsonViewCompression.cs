using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Wheelhouse.Server.Http;

/// <summary>
/// devpi's JSON views (user, index, project and version documents) compressed when the client asks, per request at
/// the fastest level: they are rendered per request. Simple pages come compressed already, once per rendering
/// (<see cref="RenderedPageResponse"/>), and an answer that has a Content-Encoding is never compressed again.
/// </summary>
public static class JsonViewCompression
{
    public static IServiceCollection AddJsonViewCompression(this IServiceCollection services)
    {
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services.AddResponseCompression(o =>
        {
            o.MimeTypes = ["application/json"];
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
    }
}
