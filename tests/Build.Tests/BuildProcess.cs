using System.Diagnostics;

namespace Wheelhouse.Build.Tests;

/// <summary>Runs the built build host the way ./build.sh does, from the repository root, and collects what it printed.</summary>
internal static class BuildProcess
{
    public static (int Code, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = global::Wheelhouse.Testing.RepositoryRoot.Path };
        start.ArgumentList.Add(typeof(BuildContext).Assembly.Location);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        // The tests check option handling, not the caller's release settings.
        start.Environment.Remove("SOURCE_DATE_EPOCH");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
