using Cake.Common.Diagnostics;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;

namespace Wheelhouse.Build.Testing;

/// <summary>
/// One dotnet test run over the solution, narrowed by the Integration trait (tests/README.md), that leaves its .trx
/// files in artifacts/test-results/&lt;name&gt;/ and its closing line in artifacts/test-results/&lt;name&gt;.summary for CI.
/// </summary>
public static class TestRun
{
    /// <summary>The trait that marks a test class or test as integration ([Integration] in tests/Shared/).</summary>
    public const string IntegrationFilter = "Category=Integration";

    public const string UnitFilter = "Category!=Integration";

    public static void Run(BuildContext context, string name, string filter, IReadOnlyDictionary<string, string>? environment = null)
    {
        var results = Path.Combine(context.TestResults, name);
        var summaryPath = SummaryFile.PathOf(context.TestResults, name);
        // A run that dies before it reports must not leave the previous run's results to be counted.
        if (Directory.Exists(results))
        {
            Directory.Delete(results, recursive: true);
        }

        Directory.CreateDirectory(results);
        File.Delete(summaryPath);

        var exitCode = 0;
        var settings = new DotNetTestSettings
        {
            Configuration = context.BuildConfiguration,
            Filter = filter,
            ResultsDirectory = results,
            Loggers = ["trx", "console;verbosity=normal"],
            HandleExitCode = code => { exitCode = code; return true; },
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings.EnvironmentVariables[key] = value;
        }

        context.DotNetTest(context.Solution, settings);

        var summary = TrxSummary.Read(Directory.EnumerateFiles(results, "*.trx", SearchOption.AllDirectories));
        foreach (var test in summary.FailedTests)
        {
            context.Error($"failed: {test}");
        }

        context.Information($"{name}: {summary.ClosingLine}");
        SummaryFile.Write(context.TestResults, name, summary.ClosingLine, summary.FailedTests);
        if (summary.Failed > 0 || exitCode != 0)
        {
            // The suites after this one still run and report; the run fails at its end (BuildLifetime).
            context.TestRunFailed($"{name} failed ({summary.ClosingLine}; dotnet test exit code {exitCode})");
        }
    }
}
