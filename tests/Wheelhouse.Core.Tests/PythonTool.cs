using System.Diagnostics;

namespace Wheelhouse.Core.Tests;

/// <summary>
/// Runs Debian's /usr/bin/python3 in isolated mode (-I) from a directory outside the repository, whose own
/// <c>packaging/</c> folder would otherwise shadow Python's <c>packaging</c> module.
/// </summary>
internal static class PythonTool
{
    public const string Python = "/usr/bin/python3";

    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, string? stdin, params string[] args)
    {
        File.Exists(Python).Should().BeTrue("these tests need Debian's {0}", Python);
        var start = new ProcessStartInfo(Python, ["-I", .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PIP_FIND_LINKS"] = "";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {string.Join(' ', args)} did not finish in 180 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
