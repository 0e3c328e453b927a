using System.Diagnostics;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Layout;

/// <summary><c>wheelhouse-server ARGS --config C --data-dir D</c> run as its own process, with the layout's password variables set.</summary>
internal static class LayoutCommand
{
    public sealed record Result(int Code, string Out, string Err);

    public static Task<Result> RunAsync(string workDirectory, string dataDirectory, params string[] args) =>
        RunWithStorageAsync(workDirectory, dataDirectory, Wheelhouse.Testing.Postgres.TestStorage.Environment(Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(dataDirectory)), args);

    /// <param name="storage">The <c>WHEELHOUSE_STORAGE_*</c> variables of the store the command opens.</param>
    public static async Task<Result> RunWithStorageAsync(string workDirectory, string dataDirectory, IEnumerable<KeyValuePair<string, string>> storage, params string[] args)
    {
        var config = Path.Combine(workDirectory, "wheelhouse.json");
        await File.WriteAllTextAsync(config, """{ "logLevel": "Warning" }""");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDirectory };
        info.ArgumentList.Add(ServerProcess.ServerDll);
        foreach (var a in args.Concat(["--config", config, "--data-dir", dataDirectory]))
        {
            info.ArgumentList.Add(a);
        }
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("WHEELHOUSE_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["WHEELHOUSE_ROOT_PASSWORD"] = TestServer.RootPassword;
        foreach (var (key, value) in storage)
        {
            info.Environment[key] = value; // the store of the server beside it
        }
        info.Environment["WHEELHOUSE_PASSWORD_SHARED"] = "shared-secret";
        info.Environment["WHEELHOUSE_PASSWORD_QA"] = "qa-secret";
        info.Environment["WHEELHOUSE_PASSWORD_TEAM_A"] = "a-secret";
        info.Environment["WHEELHOUSE_PASSWORD_TEAM_B"] = "b-secret";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}
