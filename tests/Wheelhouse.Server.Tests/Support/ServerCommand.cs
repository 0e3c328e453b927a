using System.Diagnostics;

namespace Wheelhouse.Server.Tests.Support;

/// <summary>The built server run once for a command (import, export, backup, restore, check), as an operator runs it.</summary>
internal static class ServerCommand
{
    public static string Fixture => Wheelhouse.Testing.RepositoryRoot.Combine("tests", "Fixtures", "devpi-6.19.1-export");

    public static Task<Tool.Result> RunAsync(params string[] args) => RunWithAsync(null, args);

    /// <summary>As <see cref="RunAsync"/>, with these variables added to its environment.</summary>
    public static async Task<Tool.Result> RunWithAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServerProcess.ServerDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("WHEELHOUSE_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["WHEELHOUSE_ROOT_PASSWORD"] = TestServer.RootPassword;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        if (DataDirectoryOf(args) is { } data)
        {
            if (args[0] == "restore")
            {
                Wheelhouse.Testing.Postgres.TestStorage.UseSqliteFor(data); // a backup restores into SQLite (then migrate-storage)
            }
            foreach (var (key, value) in Wheelhouse.Testing.Postgres.TestStorage.Environment(Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(data)))
            {
                info.Environment[key] = value;
            }
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new Tool.Result(process.ExitCode, $"$ wheelhouse-server {string.Join(' ', args)}\n{await stdout}\n{await stderr}");
    }

    private static string? DataDirectoryOf(string[] args)
    {
        var at = Array.IndexOf(args, "--data-dir");
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : args.FirstOrDefault(a => a.StartsWith("--data-dir=", StringComparison.Ordinal))?["--data-dir=".Length..];
    }

    /// <summary>A copy of a directory tree (fixtures are read-only).</summary>
    public static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    /// <summary>Every file under a directory with its size and modification time, to show nothing changed.</summary>
    public static SortedDictionary<string, string> Listing(string directory) =>
        !Directory.Exists(directory)
            ? []
            : new(Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).ToDictionary(
                p => Path.GetRelativePath(directory, p),
                p => File.Exists(p) ? $"{new FileInfo(p).Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))}" : "dir"),
                StringComparer.Ordinal);
}
