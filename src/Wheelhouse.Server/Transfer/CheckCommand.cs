using Wheelhouse.Server.Configuration;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Transfer;

/// <summary><c>wheelhouse-server check [--repair]</c>: exit 0 when all is well (or all was repaired), 1 when a problem remains.</summary>
public static class CheckCommand
{
    public static async Task<int> RunAsync(ServerOptions options, bool repair, CancellationToken ct)
    {
        if (DataDirectoryState.NoDataProblem(options.DataDirectory, options.Storage) is { } noData)
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: check: {noData}");
            return 66;
        }
        using var store = PackageStore.Open(options.DataDirectory, options.Storage);
        var report = await new ConsistencyCheck(store).RunAsync(repair, null, ct);
        foreach (var problem in report.Problems)
        {
            Console.WriteLine($"problem: {problem}");
        }
        foreach (var done in report.Repaired)
        {
            Console.WriteLine($"repaired: {done}");
        }
        foreach (var left in report.NotRepaired)
        {
            Console.WriteLine($"not repaired: {left}");
        }
        var failing = repair ? report.NotRepaired.Count : report.Problems.Count;
        Console.WriteLine($"checked {report.Blobs} blobs ({TransferProgress.Size(report.Bytes)}) and the served tree: "
            + (report.Problems.Count == 0 ? "no problems" : $"{report.Problems.Count} problem(s)" + (repair ? $", {report.NotRepaired.Count} not repaired" : "; run with --repair to fix what can be fixed")));
        return failing == 0 ? 0 : 1;
    }
}
