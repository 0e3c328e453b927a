using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Server.Transfer;
using Wheelhouse.Storage;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Server.Tests.Hosting;

/// <summary>
/// Servers on PostgreSQL whatever the run tests: two servers sharing one database racing, a SQLite installation moved
/// with migrate-storage serving the same pages, and a wrong database refused at start-up.
/// </summary>
[Integration]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresServerTests : IAsyncLifetime
{
    private readonly PostgresCluster _cluster = PostgresCluster.Shared;
    private readonly string _work = Directory.CreateTempSubdirectory("wh-pg-server-").FullName;
    private readonly List<TestServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in Enumerable.Reverse(_servers))
        {
            await server.StopKeepingDataAsync();
        }
        Directory.Delete(_work, recursive: true);
    }

    private StorageSettings NewDatabase(string hint) => new(StorageKind.PostgreSql, _cluster.ConnectionString(_cluster.CreateDatabase(hint)));

    private async Task<TestServer> StartAsync(string data, StorageSettings storage)
    {
        var server = await TestServer.StartAsync(o => o with { Storage = storage }, data);
        _servers.Add(server);
        return server;
    }

    [Fact]
    public async Task Two_servers_on_one_database_racing_uploads_of_the_same_file_give_one_success_and_one_409_each_time()
    {
        var storage = NewDatabase("race");
        var data = Path.Combine(_work, "shared-data"); // the shared file store every node mounts
        var a = await StartAsync(data, storage);
        var b = await StartAsync(data, storage);
        await a.CreateUserAsync("team");
        await a.CreateIndexAsync("team", "prod", """{"volatile": false}""");

        for (var round = 0; round < 8; round++)
        {
            var version = $"1.{round}";
            // Same name, different content (the same content twice is no conflict: the second is "unchanged").
            async Task<HttpStatusCode> Upload(TestServer server)
            {
                var wheel = Distributions.WheelWithPadding("racer", version, server == a ? 10 : 20);
                using var request = new HttpRequestMessage(HttpMethod.Post, "team/prod/")
                {
                    Content = Distributions.Form("racer", version, wheel, Distributions.WheelName("racer", version)),
                };
                request.Headers.Authorization = TestServer.Basic("team", "team-pw");
                using var response = await server.Client.SendAsync(request);
                return response.StatusCode;
            }
            var statuses = await Task.WhenAll(Upload(a), Upload(b));
            statuses.Order().Should().Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], $"round {round}: one upload wins, the other is refused");
        }

        // Both nodes serve every upload, whoever took it; their serials agree with the database's.
        foreach (var server in new[] { a, b })
        {
            var page = await server.Client.GetStringAsync("team/prod/+simple/racer/");
            Enumerable.Range(0, 8).Should().AllSatisfy(round => page.Should().Contain(Distributions.WheelName("racer", $"1.{round}")));
        }
        using var reader = PackageStore.Open(data, storage);
        using var rows = reader.Read();
        rows.Files("team", "prod", "racer").Should().HaveCount(8);
        var serials = new List<long>();
        await Task.Delay(Wheelhouse.Server.Hosting.OtherProcessChanges.Interval * 2); // each node's next request then takes in the other's commits
        foreach (var server in new[] { a, b })
        {
            using var response = await server.SendAsync(HttpMethod.Get, "team/prod");
            serials.Add(long.Parse(response.Headers.GetValues("X-Devpi-Serial").Single(), System.Globalization.CultureInfo.InvariantCulture));
        }
        serials.Should().AllSatisfy(s => s.Should().Be(rows.StoredSerial()));
    }

    [Fact]
    public async Task Migrate_storage_moves_a_sqlite_installation_that_then_serves_the_same_pages_and_refuses_a_second_copy()
    {
        var data = Path.Combine(_work, "data");
        var sqlite = await StartAsync(data, StorageSettings.Sqlite);
        await sqlite.CreateUserAsync("team");
        await sqlite.CreateIndexAsync("team", "dev");
        await sqlite.CreateIndexAsync("team", "prod", """{"volatile": false, "bases": ["team/dev"]}""");
        await sqlite.UploadWheelAsync("team/dev", "team", "alpha", "1.0");
        await sqlite.UploadWheelAsync("team/dev", "team", "alpha", "1.1");
        await sqlite.UploadWheelAsync("team/prod", "team", "Beta.Tool", "2.0");
        string[] views = ["", "team", "team/dev", "team/prod", "team/dev/alpha", "team/prod/alpha", "team/prod/beta-tool", "team/dev/alpha/1.1", "+api"];
        var before = await ViewsAsync(sqlite, views);
        var simpleBefore = await sqlite.Client.GetStringAsync("team/prod/+simple/alpha/");
        await sqlite.StopKeepingDataAsync();
        _servers.Remove(sqlite);

        var database = _cluster.CreateDatabase("migrated");
        var passwordFile = Path.Combine(_work, "db-password");
        await File.WriteAllTextAsync(passwordFile, _cluster.Password + "\n");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var withoutPassword = $"Host=127.0.0.1;Port={_cluster.Port};Database={database};Username={PostgresCluster.Superuser}";
        var options = new ServerOptions { DataDirectory = data, Storage = StorageSettings.Sqlite };
        var target = new CommandLine.MigrationTarget("postgresql", withoutPassword, passwordFile);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        (await MigrateStorageCommand.RunAsync(options, target, output, errors, terminal: false, CancellationToken.None)).Should().Be(0, errors.ToString());
        output.ToString().Should().Contain("passes 'check'").And.Contain($"'{database}'").And.NotContain(_cluster.Password);
        errors.ToString().Should().Contain("migrate-storage rows:").And.NotContain(_cluster.Password);

        var storage = new StorageSettings(StorageKind.PostgreSql, _cluster.ConnectionString(database));
        var postgres = await StartAsync(data, storage);
        (await ViewsAsync(postgres, views)).Should().Equal(before, "the same pages, serial and identity included");
        (await postgres.Client.GetStringAsync("team/prod/+simple/alpha/")).Should().Be(simpleBefore, "simple pages link relatively");
        using (var check = PackageStore.Open(data, storage))
        {
            (await new ConsistencyCheck(check).RunAsync(repair: false, null, CancellationToken.None)).Problems.Should().BeEmpty();
        }
        await postgres.UploadWheelAsync("team/dev", "team", "alpha", "1.2"); // and it takes writes

        using var again = new StringWriter();
        (await MigrateStorageCommand.RunAsync(options, target, TextWriter.Null, again, terminal: false, CancellationToken.None)).Should().Be(73);
        again.ToString().Should().Contain("not empty").And.Contain("nothing was written");
        var bad = target with { Kind = "mysql" };
        (await MigrateStorageCommand.RunAsync(options, bad, TextWriter.Null, TextWriter.Null, terminal: false, CancellationToken.None)).Should().Be(64);
    }

    private static async Task<Dictionary<string, string>> ViewsAsync(TestServer server, string[] paths)
    {
        var views = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            using var response = await server.SendAsync(HttpMethod.Get, path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            var json = JsonNode.Parse((await response.Content.ReadAsStringAsync()).Replace(server.BaseUrl, "BASE", StringComparison.Ordinal))!;
            views[path] = $"{response.Headers.GetValues("X-Devpi-Serial").Single()} {response.Headers.GetValues("X-Devpi-Uuid").Single()} {json.ToJsonString()}";
        }
        return views;
    }

    [Fact]
    public async Task A_wrong_database_password_is_a_start_up_error_naming_the_database_and_the_reason_never_the_password()
    {
        var passwordFile = Path.Combine(_work, "wrong-password");
        await File.WriteAllTextAsync(passwordFile, "wrong-pw-8128");
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var config = Path.Combine(_work, "wheelhouse.json");
        await File.WriteAllTextAsync(config, $$"""
            { "logLevel": "Warning", "storage": { "kind": "postgresql",
              "connectionString": "Host=127.0.0.1;Port={{_cluster.Port}};Database=postgres;Username=postgres;Timeout=5", "passwordFile": "{{passwordFile}}" } }
            """);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { ServerProcess.ServerDll, "serve", "--config", config, "--port", "0", "--data-dir", Path.Combine(_work, "unused") })
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("WHEELHOUSE_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var said = await stderr + await stdout;
        process.ExitCode.Should().Be(Program.StorageUnavailableExit, said);
        said.Should().Contain($"PostgreSQL database 'postgres' on 127.0.0.1:{_cluster.Port}").And.Contain("password authentication failed")
            .And.NotContain("wrong-pw-8128").And.NotContain("   at ", "an operator's error, not a crash");
    }
}
