using System.Diagnostics;

namespace Wheelhouse.Server.Tests.Support;

/// <summary>Runs a Debian tool (twine, python3, pip) from a temp directory with a clean Python environment.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string Output)
    {
        public Result ShouldSucceed()
        {
            ExitCode.Should().Be(0, Output);
            return this;
        }
    }

    /// <summary>Debian's pip downloads <paramref name="requirement"/> alone (no dependencies, no cache) from the index into <paramref name="target"/>.</summary>
    public static Task<Result> PipDownloadAsync(string workingDirectory, string indexUrl, string target, string requirement) =>
        RunAsync(workingDirectory, "/usr/bin/python3", "-m", "pip", "download", "--isolated", "--no-deps", "--no-cache-dir",
            "-d", target, "--index-url", indexUrl, requirement);

    public static async Task<Result> RunAsync(string workingDirectory, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        // The repository has a 'packaging/' folder; never let Python import from the checkout, and never use a user index.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("PIP_", StringComparison.Ordinal) || k.StartsWith("TWINE_", StringComparison.Ordinal)
            || k is "PYTHONPATH" or "PYTHONHOME" or "VIRTUAL_ENV").ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["PIP_FIND_LINKS"] = "";
        info.Environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
        info.Environment["HOME"] = workingDirectory;
        // twine prints through rich, which wraps at 80 columns without a terminal; tests match whole messages.
        info.Environment["COLUMNS"] = "500";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, $"$ {file} {string.Join(' ', args)}\n{await stdout}\n{await stderr}");
    }
}
