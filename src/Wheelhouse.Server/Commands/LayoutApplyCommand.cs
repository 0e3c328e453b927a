using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Hosting;
using Wheelhouse.Server.Layout;
using Wheelhouse.Server.Metrics;

namespace Wheelhouse.Server.Commands;

/// <summary>
/// <c>layout apply FILE [--dry-run]</c>: prints the plan (or what it would do); 65 (EX_DATAERR) with every problem when
/// the layout is bad, and nothing changed. Safe beside a running server, which takes the change in by itself.
/// </summary>
public static class LayoutApplyCommand
{
    public const int DataError = 65;

    public static async Task<int> RunAsync(ServerOptions options, string file, bool dryRun, TextWriter output, TextWriter errors)
    {
        if (!LayoutFileParser.ParseFile(file).IsValid(out var spec, out var invalid))
        {
            foreach (var problem in invalid.Problems)
            {
                await errors.WriteLineAsync($"wheelhouse-server: layout: {problem}");
            }
            return DataError;
        }
        using var loggerFactory = LoggerFactory.Create(l => ServerLogging.Configure(l, options));
        var hasher = new PasswordHasher();
        // The server creates root on its first start; a layout applied before that start must find it too.
        var (store, change) = await DataDirectoryStartup.OpenAsync(options, hasher, setConfiguredRootPassword: false);
        using var _ = store;
        if (change is not null)
        {
            loggerFactory.CreateLogger("layout").LogInformation("{Message}", change);
        }
        var applier = new LayoutApplier(new DatabaseLayoutTarget(store, TimeProvider.System), hasher.Hash, Environment.GetEnvironmentVariable);
        if (!(await applier.ApplyAsync(spec, dryRun, CancellationToken.None)).IsValid(out var report, out var refused))
        {
            foreach (var problem in refused.Problems)
            {
                await errors.WriteLineAsync($"wheelhouse-server: layout: {problem}");
            }
            await errors.WriteLineAsync("wheelhouse-server: layout: nothing was changed");
            return DataError;
        }
        foreach (var line in report.Describe().Split('\n'))
        {
            await output.WriteLineAsync(dryRun && !report.Plan.IsEmpty && !line.StartsWith("not in the layout", StringComparison.Ordinal) ? $"would {line}" : line);
        }
        if (report.Applied)
        {
            await output.WriteLineAsync($"applied {report.Plan.Actions.Count} change(s)");
            // On a database that server nodes share, a node in step answers from what it has taken in: like a write
            // over HTTP, the change is done once every live node has taken it in (or its lease has ended).
            var waited = System.Diagnostics.Stopwatch.StartNew();
            if (store.CommitNotifications is not null) // on SQLite nothing to wait for: no metrics, no lease, made for nothing
            {
                await new NodeLease(store, new ServerMetrics(), loggerFactory.CreateLogger<NodeLease>()).WaitForOtherNodesAsync(store.Serial);
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(1))
            {
                await output.WriteLineAsync($"waited {waited.Elapsed.TotalSeconds:0.0} s for the other server nodes to take the change in");
            }
        }
        return 0;
    }
}
