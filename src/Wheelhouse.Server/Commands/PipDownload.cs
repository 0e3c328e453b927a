using System.Diagnostics;
using System.Text;

namespace Wheelhouse.Server.Commands;

/// <summary>
/// One <c>pip download</c> run for <c>fill</c>: binary wheels only (no sdist is built, so no project code runs), for one
/// platform and Python version, from the given index only. <c>--isolated</c> keeps the operator's pip.conf and
/// <c>PIP_*</c> variables (an extra index, find-links) out; <c>--no-cache-dir</c> makes pip fetch every file through
/// the mirror, which is what stores it there.
/// </summary>
public static class PipDownload
{
    /// <param name="Reason">pip's own words when it failed: its error lines to the end of its output.</param>
    public sealed record Result(bool Succeeded, string Reason);

    /// <summary>Null when pip runs; else why not.</summary>
    public static async Task<string?> CheckAsync(string python)
    {
        try
        {
            var (code, _, error) = await RunAsync(python, ["-m", "pip", "--version"], CancellationToken.None);
            return code == 0 ? null : $"{python} -m pip does not run ({Last(error)}); fill needs pip: install it (Debian: apt install python3-pip) or name another interpreter with --python";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot run {python} ({e.Message}); fill needs pip: install python3-pip, or name an interpreter that has it with --python";
        }
    }

    public static async Task<Result> RunAsync(string python, string indexUrl, IReadOnlyList<string> requirements, string? platform, string? pythonVersion,
        string directory, CancellationToken ct)
    {
        var args = new List<string>
        {
            "-m", "pip", "download", "--isolated", "--disable-pip-version-check", "--no-cache-dir", "--progress-bar", "off",
            "--only-binary", ":all:", "--index-url", indexUrl, "--dest", directory,
        };
        if (platform is not null)
        {
            args.AddRange(["--platform", platform]);
        }
        if (pythonVersion is not null)
        {
            args.AddRange(["--python-version", pythonVersion]);
        }
        foreach (var file in requirements)
        {
            args.AddRange(["--requirement", file]);
        }
        var (code, output, error) = await RunAsync(python, args, ct);
        return code == 0 ? new Result(true, "") : new Result(false, Reason(error, output, code));
    }

    /// <summary>From pip's first ERROR line to the end (its conflict explanation spans several lines).</summary>
    private static string Reason(string error, string output, int code)
    {
        var lines = error.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var first = Array.FindIndex(lines, l => l.StartsWith("ERROR:", StringComparison.Ordinal));
        var reason = first < 0 ? Last(error.Length > 0 ? error : output) : string.Join('\n', lines[first..].Where(l => l.Trim().Length > 0));
        return reason.Length > 0 ? reason : $"pip exited with status {code} and said nothing";
    }

    private static string Last(string text) => text.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";

    private static async Task<(int Code, string Output, string Error)> RunAsync(string python, IEnumerable<string> args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {python}");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }
}
