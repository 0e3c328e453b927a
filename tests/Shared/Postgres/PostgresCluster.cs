using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Wheelhouse.Testing.Postgres;

/// <summary>
/// A throw-away PostgreSQL 15 cluster (Debian's initdb and pg_ctl) in a temporary directory, on a loopback port, with
/// password authentication over TCP, owned and run by the <c>postgres</c> system user when the tests run as root
/// (PostgreSQL refuses root). One per test process (<see cref="Shared"/>), started on first use, stopped by its PID when
/// the process exits; a cluster a killed test run left behind is stopped the next time. Each test gets databases of
/// its own (<see cref="CreateDatabase"/>), so tests on it run in parallel.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const string Superuser = "postgres";
    private const string DirectoryPrefix = "wh-pg-cluster-";
    private static readonly Lazy<PostgresCluster> SharedCluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databases;
    private readonly string _directory;
    private string _startOptions = "";
    private bool _keep;

    private PostgresCluster(string directory, int port, string password, int postmasterPid)
    {
        _directory = directory;
        Port = port;
        Password = password;
        Pid = postmasterPid;
    }

    /// <summary>The cluster of this test process, started by the first test that needs it.</summary>
    public static PostgresCluster Shared => SharedCluster.Value;

    /// <summary>True when Debian's PostgreSQL 15 is installed (the <c>prerequisites</c> target installs it).</summary>
    public static bool Installed => File.Exists(Path.Combine(BinDirectory, "initdb"));

    public int Port { get; }

    /// <summary>The postmaster's process id (its backends are its children).</summary>
    public int Pid { get; private set; }

    /// <summary>The superuser's password (tests only).</summary>
    public string Password { get; }

    /// <summary>The data directory of the cluster (owned by postgres when run as root).</summary>
    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A connection string for <paramref name="database"/>, as the superuser, password included.</summary>
    public string ConnectionString(string database, string? password = null) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Password = password ?? Password,
        Database = database,
        Pooling = true,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>A new, empty database with a name no other test has; returns its name.</summary>
    public string CreateDatabase(string hint = "test")
    {
        var safe = new string(hint.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9').Take(30).ToArray());
        var name = $"wh_{safe}_{Interlocked.Increment(ref _databases)}";
        Execute("postgres", $"CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY;");
        return name;
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="database"/> as the superuser.</summary>
    public void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// A cluster of the caller's own, for a test that stops and starts it (<see cref="Stop"/>, <see cref="StartAgain"/>)
    /// without disturbing the tests on <see cref="Shared"/>; the caller disposes it.
    /// </summary>
    public static PostgresCluster StartPrivate() => Start();

    /// <summary>Stops the server (PostgreSQL's fast shutdown: clients are disconnected), keeping its data.</summary>
    public void Stop() => StopPostmaster(Pid);

    /// <summary>Starts the stopped server again on the same port with the same data.</summary>
    public void StartAgain()
    {
        var data = DataDirectory;
        RunAsOwner(Environment.UserName == "root", "pg_ctl", ["-D", data, "-o", _startOptions, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "start"]);
        Pid = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    }

    private static PostgresCluster Start()
    {
        StopLeftovers();
        var directory = Directory.CreateTempSubdirectory(DirectoryPrefix).FullName;
        File.WriteAllText(Path.Combine(directory, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        // Tests need no durability: nothing outlives the process, so no fsync at all.
        return Start(directory, ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=64MB"], keep: false);
    }

    /// <summary>
    /// A cluster kept in <paramref name="directory"/> (a benchmark's cached data set): made there by the first call,
    /// started again with its data by later ones, on a new free loopback port each time. Durable, with PostgreSQL's
    /// defaults (fsync, synchronous commit) and the <paramref name="settings"/> given (<c>-c name=value</c> each);
    /// <see cref="Dispose"/> stops it and keeps the directory.
    /// </summary>
    public static PostgresCluster StartIn(string directory, IEnumerable<string> settings) => Start(directory, settings, keep: true);

    /// <summary>
    /// Stops a cluster a killed run left running in <paramref name="directory"/> (<see cref="StartIn"/>; no exit handler
    /// ran), so the directory can be started again or removed.
    /// </summary>
    public static void StopLeftoverIn(string directory)
    {
        var pidFile = Path.Combine(directory, "data", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid)
            && File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "postgres")
        {
            StopPostmaster(pid, 600);
        }
    }

    private static PostgresCluster Start(string directory, IEnumerable<string> settings, bool keep)
    {
        if (!Installed)
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb missing); run ./build.sh prerequisites");
        }
        Directory.CreateDirectory(directory);
        var passwordFile = Path.Combine(directory, "password");
        var data = Path.Combine(directory, "data");
        var asRoot = Environment.UserName == "root";
        if (keep)
        {
            StopLeftoverIn(directory);
        }
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            File.WriteAllText(passwordFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            if (asRoot)
            {
                Run("chown", ["-R", Superuser + ":", directory]);
            }
            RunAsOwner(asRoot, "initdb", ["-D", data, "-U", Superuser, "--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=peer",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        }
        var password = File.ReadAllText(passwordFile).Trim();
        var port = FreePort();
        var options = string.Join(' ', [$"-p {port}", "-c listen_addresses=127.0.0.1", $"-c unix_socket_directories={directory}", "-c max_connections=400", .. settings]);
        RunAsOwner(asRoot, "pg_ctl", ["-D", data, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "600", "start"]);
        var pid = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var cluster = new PostgresCluster(directory, port, password, pid) { _startOptions = options, _keep = keep };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    }

    /// <summary>Stops clusters of test processes that no longer run (killed before their exit handler ran).</summary>
    private static void StopLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(dir, "owner.pid");
                if (File.Exists(ownerFile)
                    ? IsRunning(int.Parse(File.ReadAllText(ownerFile), CultureInfo.InvariantCulture))
                    : Directory.GetLastWriteTimeUtc(dir) > DateTime.UtcNow.AddMinutes(-10)) // being made now, or half removed by a run killed at exit
                {
                    continue;
                }
                var pidFile = Path.Combine(dir, "data", "postmaster.pid");
                if (File.Exists(pidFile))
                {
                    StopPostmaster(int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture));
                }
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // another run's, in use, or half made: leave it
            }
        }
    }

    /// <summary>Alive and not a zombie: a postmaster orphaned to a PID 1 that does not reap stays one after it stopped.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state is not ('Z' or 'X' or default(char));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>SIGINT: PostgreSQL's fast shutdown (disconnects clients, stops cleanly); then waits for the PID to go.</summary>
    /// <param name="wait">How long before SIGKILL: a durable cluster's shutdown checkpoint may write a lot.</param>
    private static void StopPostmaster(int pid, int wait = 20)
    {
        if (!IsRunning(pid))
        {
            return;
        }
        Run("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)]);
        var deadline = DateTime.UtcNow.AddSeconds(wait);
        while (IsRunning(pid) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
        if (IsRunning(pid))
        {
            Run("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        }
    }

    private static void RunAsOwner(bool asRoot, string tool, string[] args)
    {
        var path = Path.Combine(BinDirectory, tool);
        if (asRoot)
        {
            Run("runuser", ["-u", Superuser, "--", path, .. args]);
        }
        else
        {
            Run(path, args);
        }
    }

    private static void Run(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        NpgsqlConnection.ClearAllPools();
        StopPostmaster(Pid, _keep ? 600 : 20);
        if (_keep)
        {
            return;
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // removed with the next run's leftovers
        }
    }
}
