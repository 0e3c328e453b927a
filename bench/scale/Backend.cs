using System.Text.Json.Nodes;
using Wheelhouse.Storage;
using Wheelhouse.Testing.Postgres;

namespace ScaleBench;

/// <summary>
/// Where a data set keeps its metadata while the bench uses it: SQLite in its data directory, or a PostgreSQL 15
/// cluster of its own kept beside it (<c>postgresql/</c> in the set's directory, Debian's initdb and pg_ctl run as
/// <c>postgres</c>, tests/Shared/Postgres), started on a free loopback port for as long as this lives and stopped
/// cleanly by <see cref="Dispose"/>, so its data stays cached with the set's files.
/// </summary>
internal sealed class Backend : IDisposable
{
    /// <summary>The database the servers use in the set's cluster.</summary>
    public const string Database = "wheelhouse";

    /// <summary>
    /// PostgreSQL's defaults (durable: fsync and synchronous commit on) but for a larger buffer cache than the 128 MB
    /// default and room for the WAL of a 50,000-file generating transaction without forced checkpoints.
    /// </summary>
    private static readonly string[] Settings = ["-c shared_buffers=256MB", "-c max_wal_size=4GB"];

    private readonly PostgresCluster? _cluster;

    private Backend(string kind, PostgresCluster? cluster)
    {
        Kind = kind;
        _cluster = cluster;
        Storage = cluster is null ? StorageSettings.Sqlite : new StorageSettings(StorageKind.PostgreSql, cluster.ConnectionString(Database));
    }

    /// <summary><c>sqlite</c> or <c>postgresql</c>, as on the command line.</summary>
    public string Kind { get; }

    public StorageSettings Storage { get; }

    /// <summary>The servers' configuration file: this metadata store, and Information logging (the start reports its time).</summary>
    public string ServerConfig
    {
        get
        {
            var config = new JsonObject { ["logLevel"] = "Information" };
            if (Storage.Kind == StorageKind.PostgreSql)
            {
                config["storage"] = new JsonObject { ["kind"] = "postgresql", ["connectionString"] = Storage.ConnectionString };
            }
            return config.ToJsonString();
        }
    }

    /// <summary>Where the set in <paramref name="setDirectory"/> keeps its PostgreSQL cluster.</summary>
    public static string ClusterDirectory(string setDirectory) => Path.Combine(setDirectory, "postgresql");

    /// <summary>The metadata store of the set in <paramref name="setDirectory"/>; a new cluster and database there if <paramref name="create"/>.</summary>
    public static Backend Start(string kind, string setDirectory, bool create)
    {
        if (kind == "sqlite")
        {
            return new Backend(kind, null);
        }
        var cluster = PostgresCluster.StartIn(ClusterDirectory(setDirectory), Settings);
        if (create)
        {
            cluster.Execute("postgres", $"CREATE DATABASE {Database} TEMPLATE template0;");
        }
        return new Backend(kind, cluster);
    }

    /// <summary>The CPU time the database's processes used so far (zero for SQLite, which runs inside the server).</summary>
    public TimeSpan Cpu => _cluster is null ? TimeSpan.Zero : CpuTime.OfProcessTree(_cluster.Pid);

    public void Dispose() => _cluster?.Dispose();
}
