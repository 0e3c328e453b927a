using Cake.Common.Diagnostics;
using Cake.Common.IO;
using Cake.Common.Tools.DotNet;
using Cake.Common.Tools.DotNet.Test;
using Cake.Frosting;
using Wheelhouse.Build.Testing;

namespace Wheelhouse.Build.Tasks;

[TaskName("unit-test")]
[TaskDescription("run every test project (unit, server with pip and twine, packaging with dpkg, lintian and apt)")]
[IsDependentOn(typeof(PrerequisitesTask))]
public sealed class UnitTestTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var results = context.TestResults;
        context.CleanDirectory(results);
        var exitCode = 0;
        context.DotNetTest(context.Solution, new DotNetTestSettings
        {
            Configuration = context.BuildConfiguration,
            ResultsDirectory = results,
            Loggers = ["trx", "console;verbosity=normal"],
            // Tests start python and pip: never let the caller's environment point them elsewhere.
            EnvironmentVariables = { ["PIP_FIND_LINKS"] = "", ["PIP_INDEX_URL"] = "", ["PIP_CONFIG_FILE"] = "/dev/null" },
            HandleExitCode = code => { exitCode = code; return true; },
        });
        var summary = TrxSummary.Read(Directory.EnumerateFiles(results, "*.trx", SearchOption.AllDirectories));
        foreach (var name in summary.FailedTests)
            context.Error($"failed: {name}");
        context.Information(summary.ClosingLine);
        File.WriteAllText(Path.Combine(results, "unit-test.summary"), summary.ClosingLine + "\n");
        if (summary.Failed > 0 || exitCode != 0)
            throw new InvalidOperationException($"tests failed ({summary.ClosingLine}; dotnet test exit code {exitCode})");
    }
}
