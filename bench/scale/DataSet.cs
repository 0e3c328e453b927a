using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ServerBench;
using Wheelhouse.Storage;

namespace ScaleBench;

/// <summary>
/// A generated data set: <see cref="Projects"/> projects of <see cref="FilesPerProject"/> versions with one tiny wheel
/// each, in <c>shared/stable-local</c> at the bottom of the spec's layout (<c>team/dev</c> → <c>team/staging</c> →
/// <c>shared/stable</c> → <c>shared/stable-local</c>). Made once and kept under the cache directory, keyed by size and
/// <see cref="Version"/>: root, users and indexes through the server itself, then releases and files through the
/// storage unit of work in large transactions (blobs written unsynced and synced once per transaction, as import does),
/// never through a million HTTP uploads. A run leaves it as it found it (its uploads go to an index it deletes). On
/// PostgreSQL the metadata is in a cluster kept in the set's directory (<see cref="Backend"/>), written the same way.
/// </summary>
internal sealed record DataSet(string Directory, string Storage, int Projects, int FilesPerProject)
{
    /// <summary>Bumped whenever what is generated changes, so an old cache is not mistaken for the new shape.</summary>
    public const string Version = "v1";

    public const string RootPassword = "bench-root";

    public const string BulkIndex = "shared/stable-local";

    /// <summary>The index whose pages are measured: the bulk index through three bases.</summary>
    public const string ServedIndex = "team/dev";

    private const int FilesPerTransaction = 50_000;

    public string Data => Path.Combine(Directory, "data");

    public int Files => Projects * FilesPerProject;

    public static string ProjectName(int i) => string.Create(CultureInfo.InvariantCulture, $"scale-{i:D6}");

    /// <summary>Starts the set's metadata store (its PostgreSQL cluster) for a measurement; dispose to stop it.</summary>
    public Backend Start() => Backend.Start(Storage, Directory, create: false);

    public static async Task<DataSet> EnsureAsync(string serverPath, string cacheRoot, string storage, int projects, int filesPerProject)
    {
        var set = new DataSet(Path.Combine(cacheRoot, string.Create(CultureInfo.InvariantCulture, $"{storage}-{projects}p-{filesPerProject}f-{Version}")),
            storage, projects, filesPerProject);
        var complete = Path.Combine(set.Directory, "COMPLETE");
        if (File.Exists(complete))
        {
            Console.Error.WriteLine($"data set {set.Directory}: cached ({(await File.ReadAllTextAsync(complete)).Trim()})");
            return set;
        }
        // The layout is made first (LAYOUT says so), then the projects in transactions that each commit: a run stopped
        // meanwhile is carried on from its last commit by the next, not started again.
        var layout = Path.Combine(set.Directory, "LAYOUT");
        if (System.IO.Directory.Exists(set.Directory))
        {
            Wheelhouse.Testing.Postgres.PostgresCluster.StopLeftoverIn(Backend.ClusterDirectory(set.Directory)); // a killed run's
            if (!File.Exists(layout))
            {
                Console.Error.WriteLine($"data set {set.Directory}: incomplete, generating again");
                System.IO.Directory.Delete(set.Directory, recursive: true);
            }
            else if (System.IO.Directory.Exists(Path.Combine(set.Data, "+files", "tmp")))
            {
                // The blobs of the stopped run's last transaction, which never committed (no server uses the set now).
                System.IO.Directory.Delete(Path.Combine(set.Data, "+files", "tmp"), recursive: true);
                Console.Error.WriteLine($"data set {set.Directory}: carrying on a stopped run");
            }
        }
        System.IO.Directory.CreateDirectory(set.Directory);
        var clock = Stopwatch.StartNew();
        var resumed = File.Exists(layout);
        using (var backend = Backend.Start(storage, set.Directory, create: !resumed))
        {
            if (!resumed)
            {
                using var server = await ServerUnderTest.StartAsync(serverPath, set.Data, RootPassword, configJson: backend.ServerConfig);
                using var admin = await Admin.LogInAsync(server.BaseUrl, RootPassword);
                await CreateLayoutAsync(admin);
                server.Stop();
                await File.WriteAllTextAsync(layout, "users and indexes made; projects follow in transactions\n");
            }
            await set.FillAsync(backend.Storage);
        }
        await File.WriteAllTextAsync(complete, string.Create(CultureInfo.InvariantCulture,
            $"{projects:N0} projects, {set.Files:N0} files, generated in {clock.Elapsed.TotalSeconds:F0} s{(resumed ? " (carrying on a stopped run)" : "")} on {DateTime.UtcNow:yyyy-MM-dd}\n"));
        Console.Error.WriteLine($"data set {set.Directory}: generated in {clock.Elapsed.TotalSeconds:F0} s");
        return set;
    }

    private static async Task CreateLayoutAsync(Admin admin)
    {
        foreach (var user in new[] { "team", "shared" })
        {
            await admin.SendAsync(HttpMethod.Put, user, $$"""{"password": "{{user}}-pw"}""");
        }
        await admin.SendAsync(HttpMethod.Put, BulkIndex, """{"volatile": false, "acl_upload": ["root"]}""");
        await admin.SendAsync(HttpMethod.Put, "shared/stable", """{"bases": ["shared/stable-local"]}""");
        await admin.SendAsync(HttpMethod.Put, "team/staging", """{"bases": ["shared/stable"], "volatile": false, "acl_upload": ["root"]}""");
        await admin.SendAsync(HttpMethod.Put, ServedIndex, """{"bases": ["team/staging"], "acl_upload": ["root"]}""");
    }

    private async Task FillAsync(StorageSettings storage)
    {
        var (user, index) = (BulkIndex.Split('/')[0], BulkIndex.Split('/')[1]);
        var projectsPerTransaction = Math.Max(1, FilesPerTransaction / FilesPerProject);
        var when = DateTimeOffset.UtcNow;
        var log = new JsonArray(new JsonObject
        {
            ["what"] = "upload",
            ["who"] = "root",
            ["when"] = new JsonArray(when.Year, when.Month, when.Day, when.Hour, when.Minute, when.Second),
            ["dst"] = BulkIndex,
        }).ToJsonString();
        var clock = Stopwatch.StartNew();
        using var store = PackageStore.Open(Data, storage);
        int done;
        using (var rows = store.Metadata.Read())
        {
            done = rows.Projects(user, index).Count; // whole transactions of a stopped run
        }
        for (var first = done; first < Projects;)
        {
            // PostgreSQL plans by statistics, and tables never analyzed have none: it then looks a file up by name through
            // files_by_release (every file of the index, so a transaction of 50,000 files takes hours). A first small
            // transaction, then ANALYZE (which autovacuum would run a minute later), as a real installation has them.
            var analyze = storage.Kind == StorageKind.PostgreSql && first == 0;
            var count = Math.Min(analyze ? Math.Max(1, 1_000 / FilesPerProject) : projectsPerTransaction, Projects - first);
            // Blobs first, two at a time (they need no lock); then the rows, in one transaction.
            var blobs = new PendingBlob[count * FilesPerProject];
            await Parallel.ForAsync(0, blobs.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
            {
                var blob = store.CreateBulkBlob();
                await blob.WriteAsync(Encoding.ASCII.GetBytes($"{ProjectName(first + i / FilesPerProject)} 1.0.{i % FilesPerProject}\n"), ct);
                await blob.FinishAsync();
                blobs[i] = blob;
            });
            using (var work = await store.BeginAsync())
            {
                for (var p = 0; p < count; p++)
                {
                    var project = ProjectName(first + p);
                    for (var v = 0; v < FilesPerProject; v++)
                    {
                        var version = string.Create(CultureInfo.InvariantCulture, $"1.0.{v}");
                        var blob = blobs[(p * FilesPerProject) + v];
                        work.PutRelease(new ReleaseRecord(user, index, project, version, project,
                            new JsonObject { ["name"] = project, ["version"] = version }.ToJsonString(), when));
                        work.AddFile(new FileRecord(user, index, $"{project.Replace('-', '_')}-{version}-py3-none-any.whl", project, version,
                            FileKind.ReleaseFile, blob.Sha256, blob.Length, when, "", null, log), blob);
                    }
                }
                work.Commit();
            }
            foreach (var blob in blobs)
            {
                await blob.DisposeAsync();
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {first + count:N0} of {Projects:N0} projects written ({clock.Elapsed.TotalSeconds:F0} s)"));
            if (analyze)
            {
                using var connection = new Npgsql.NpgsqlConnection(storage.ConnectionString);
                connection.Open();
                using var command = new Npgsql.NpgsqlCommand("ANALYZE;", connection);
                command.ExecuteNonQuery();
            }
            first += count;
        }
        // Every file got its served name as its transaction committed: the next start need not rebuild the tree.
        store.MarkServedTreeInStep();
    }
}
