using System.Globalization;
using Microsoft.Extensions.Primitives;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Http;

/// <summary>
/// The headers devpi clients expect on every response (spec "Conventions"): API version 2, server version, the serial
/// and the server's uuid. Writes re-stamp the serial after their commit.
/// </summary>
public sealed class DevpiHeaders(PackageStore store)
{
    public static readonly string ServerVersion = Hosting.ServerVersion.Current;

    private static readonly StringValues ApiVersion = new("2");
    private static readonly StringValues ServerVersionValue = new(ServerVersion);
    private readonly StringValues _uuid = new(store.Uuid);
    private long _cachedSerial = -1;
    private StringValues _cachedSerialValue;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers["X-Devpi-Api-Version"] = ApiVersion;
        headers["X-Devpi-Server-Version"] = ServerVersionValue;
        headers["X-Devpi-Uuid"] = _uuid;
        headers["X-Devpi-Serial"] = SerialValue(store.Serial);
        return next(context);
    }

    public static void StampSerial(HttpContext context, long serial) =>
        context.Response.Headers["X-Devpi-Serial"] = serial.ToString(CultureInfo.InvariantCulture);

    private StringValues SerialValue(long serial)
    {
        // Avoids formatting the same number on every request of a read-heavy workload.
        if (serial != Volatile.Read(ref _cachedSerial))
        {
            _cachedSerialValue = new StringValues(serial.ToString(CultureInfo.InvariantCulture));
            Volatile.Write(ref _cachedSerial, serial);
        }
        return _cachedSerialValue;
    }
}
