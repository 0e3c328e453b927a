using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerBench;

/// <summary>Runs <c>wrk -t2 -c32 --latency</c> and reads requests/s and the p50/p99 latencies from its report.</summary>
internal static partial class Wrk
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

    public static async Task<Result> RunAsync(string url, string? accept, string duration, string? acceptEncoding = null)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t2", "-c32", "-d" + duration, "--latency" })
        {
            info.ArgumentList.Add(a);
        }
        if (accept is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add("Accept: " + accept);
        }
        if (acceptEncoding is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add("Accept-Encoding: " + acceptEncoding);
        }
        info.ArgumentList.Add(url);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("wrk failed: " + output + await process.StandardError.ReadToEndAsync());
        }
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new Result(rps, Percentile(output, "50%"), Percentile(output, "99%"), errors);
    }

    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, @"^\s*" + Regex.Escape(label) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
