using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;
using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Hosting;

/// <summary>
/// Logging as every command writes it: the configured level; one line per event on the console, or the journal's
/// format under systemd; noisy framework categories quietened unless the level is Debug.
/// </summary>
public static class ServerLogging
{
    public static void Configure(ILoggingBuilder logging, ServerOptions options)
    {
        logging.SetMinimumLevel(options.LogLevel);
        logging.AddFilter("Microsoft.AspNetCore", options.LogLevel > LogLevel.Warning ? options.LogLevel : LogLevel.Warning);
        if (options.LogLevel > LogLevel.Debug)
        {
            // The mirror client logs one line per failed upstream call with its kind (refused, timeout, circuit open);
            // Polly's per-attempt events repeat it with stack traces, and HttpClient logs every request at Information.
            logging.AddFilter("Polly", LogLevel.None);
            logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        }
        if (SystemdHelpers.IsSystemdService())
        {
            // journald adds its own timestamps; the systemd formatter writes <N> priority prefixes.
            logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.ColorBehavior = LoggerColorBehavior.Disabled;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
    }
}
