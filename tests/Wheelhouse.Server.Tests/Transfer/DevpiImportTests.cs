using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>
/// devpi-server 6.19.1's real export (tests/Fixtures) imported by the built server, then used with the real clients:
/// every user logs in with devpi's password, pip installs through the inheritance, twine is refused an overwrite, the
/// push shows in the history. The devpi client itself is not installable here (not in Debian, PyPI unreachable), so its
/// requests are replayed as devpi-client 7.2 sends them.
/// </summary>
[Integration]
public sealed class DevpiImportTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private static readonly Dictionary<string, string> Passwords = new()
    {
        ["root"] = "rootpw",
        ["qa"] = "qa-pw",
        ["team-a"] = "a-pw",
        ["team-b"] = "b-pw",
        ["shared"] = "shared-pw",
    };

    private readonly string _work = Directory.CreateTempSubdirectory("wh-import-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_work, true);
        return Task.CompletedTask;
    }

    private string Data => Path.Combine(_work, "data");

    [Fact]
    public async Task The_devpi_export_imports_and_serves_users_indexes_releases_history_and_docs_to_the_real_clients()
    {
        var import = (await ServerCommand.RunAsync("import", ServerCommand.Fixture, "--data-dir", Data)).ShouldSucceed();
        import.Output.Should().Contain("17/17 files");
        await using var server = await ServerProcess.StartAsync(Data);
        using var http = new TestServer.ClientHelper(server.BaseUrl);

        // Every user logs in with the password devpi had, as devpi-client's login sends it; the hash is then ours.
        foreach (var (user, password) in Passwords)
        {
            using var wrong = await http.Client.PostAsync("+login", Json(new JsonObject { ["user"] = user, ["password"] = password + "x" }));
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized, user);
            using var login = await http.Client.PostAsync("+login", Json(new JsonObject { ["user"] = user, ["password"] = password }));
            login.StatusCode.Should().Be(HttpStatusCode.OK, user);
        }
        StoredHashes().Values.Should().AllSatisfy(h => h.Should().StartWith("pbkdf2-sha256$"));
        using (var again = await http.Client.PostAsync("+login", Json(new JsonObject { ["user"] = "qa", ["password"] = "qa-pw" })))
        {
            again.StatusCode.Should().Be(HttpStatusCode.OK, "the rehashed password still logs in");
        }

        // devpi-client 6/7's 'use URL' (GET URL/+api), 'login' (POST to the login URL +api named) and the next
        // command's +api with the token the login returned, each as its http_api sends it.
        var used = await DevpiClientAsync(http.Client, HttpMethod.Get, "team-a/dev/+api", null, null);
        var loginUrl = used["result"]!["login"]!.ToString();
        var loggedIn = await DevpiClientAsync(http.Client, HttpMethod.Post, loginUrl, new JsonObject { ["user"] = "team-a", ["password"] = "a-pw" }, null);
        var token = loggedIn["result"]!["password"]!.ToString();
        loggedIn["result"]!["expiration"]!.GetValue<int>().Should().BePositive();
        var status = (await DevpiClientAsync(http.Client, HttpMethod.Get, "team-a/dev/+api", null, ("team-a", token)))["result"]!["authstatus"]!;
        status[0]!.ToString().Should().Be("ok");
        status[1]!.ToString().Should().Be("team-a");

        // Index configs as devpi had them: bases in order, ACLs, volatile, title, description, mirror settings.
        var stable = await GetJsonAsync(http, "shared/stable");
        stable["bases"]!.AsArray().Select(b => b!.ToString()).Should().Equal("shared/stable-local", "shared/thirdparty-local", "root/pypi");
        var stableLocal = await GetJsonAsync(http, "shared/stable-local");
        stableLocal["acl_upload"]!.AsArray().Select(b => b!.ToString()).Should().Equal("shared", "qa");
        stableLocal["volatile"]!.GetValue<bool>().Should().BeFalse();
        stableLocal["title"]!.ToString().Should().Be("Reviewed releases");
        (await GetJsonAsync(http, "team-a/dev"))["description"]!.ToString().Should().Be("team A's playground");
        var upstream = await GetJsonAsync(http, "shared/upstream");
        upstream["mirror_url"]!.ToString().Should().Be("http://127.0.0.1:9/simple/");
        upstream["title"]!.ToString().Should().Be("vendor index");
        (await GetJsonAsync(http, "root/pypi"))["mirror_web_url_fmt"]!.ToString().Should().Be("https://pypi.org/project/{name}/");

        // The release's metadata as recorded, and its history: uploaded by team-a to staging, pushed by qa.
        var release = await GetJsonAsync(http, "shared/stable-local/acme-core/1.0.1");
        release["summary"]!.ToString().Should().Be("acme-core test package");
        release["description"]!.ToString().Should().Contain("Second paragraph with *markup*.");
        var log = release["+links"]!.AsArray().First(l => l!["href"]!.ToString().EndsWith(".whl"))!["log"]!.AsArray();
        log.Select(e => e!["what"]!.ToString()).Should().Equal("upload", "push");
        log[0]!["who"]!.ToString().Should().Be("team-a");
        log[0]!["dst"]!.ToString().Should().Be("team-a/staging");
        log[1]!["who"]!.ToString().Should().Be("qa");
        log[1]!["src"]!.ToString().Should().Be("team-a/staging");
        log[1]!["dst"]!.ToString().Should().Be("shared/stable-local");
        log[1]!["when"]!.AsArray().Select(n => n!.GetValue<int>()).Should().Equal(2026, 12, 4, 18, 39, 29);

        // Documentation where devpi-server serves it: a doczip link of the release, its bytes as exported.
        var docs = (await GetJsonAsync(http, "team-a/dev/acme-core/1.1.0"))["+links"]!.AsArray().Single(l => l!["rel"]!.ToString() == "doczip")!;
        var docBytes = await http.Client.GetByteArrayAsync(docs["href"]!.ToString());
        docBytes.Should().Equal(await File.ReadAllBytesAsync(Path.Combine(ServerCommand.Fixture, "team-a", "dev", "acme-core-1.1.0.doc.zip")));

        // A name that normalizes (beta.tool) is found under its normal form.
        (await http.Client.GetStringAsync("team-b/dev/+simple/beta-tool/")).Should().Contain("2.0");

        // pip installs acme-core 1.0.1 through team-a/dev: it is inherited from team-a/staging.
        var venv = Path.Combine(_work, "venv");
        (await Tool.RunAsync(_work, Python, "-m", "venv", venv)).ShouldSucceed();
        (await Tool.RunAsync(_work, Path.Combine(venv, "bin", "pip"), "install", "--no-cache-dir", "--no-deps", "--index-url",
            $"{server.BaseUrl}/team-a/dev/+simple/", "acme-core==1.0.1")).ShouldSucceed();
        var shown = (await Tool.RunAsync(_work, Path.Combine(venv, "bin", "pip"), "show", "acme-core")).ShouldSucceed();
        shown.Output.Should().Contain("Version: 1.0.1");

        // twine: an overwrite of the pushed release is refused in the non-volatile index; a new version is taken.
        var other = await BuildAcmeCoreAsync("1.0.1", "VALUE = 'not what qa reviewed'\n");
        var refused = await Tool.RunAsync(_work, "twine", "upload", "--non-interactive", "--disable-progress-bar", "--repository-url",
            $"{server.BaseUrl}/shared/stable-local/", "-u", "qa", "-p", "qa-pw", other);
        refused.ExitCode.Should().NotBe(0);
        refused.Output.Should().Contain("409");
        (await Tool.RunAsync(_work, "twine", "upload", "--non-interactive", "--disable-progress-bar", "--repository-url",
            $"{server.BaseUrl}/team-a/dev/", "-u", "team-a", "-p", "a-pw", await BuildAcmeCoreAsync("1.2.0", "VALUE = 3\n"))).ShouldSucceed();
    }

    [Fact]
    public async Task An_import_stopped_by_a_corrupted_file_names_it_and_leaves_the_data_directory_as_it_was()
    {
        var export = Path.Combine(_work, "export");
        ServerCommand.CopyTree(ServerCommand.Fixture, export);
        // The last file the import reaches, so everything before it was already copied when it fails.
        var victim = Path.Combine(export, "team-b", "dev", "beta-tool", "2.0");
        var file = Directory.GetFiles(victim).Order(StringComparer.Ordinal).Last();
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(file, bytes);

        // Into a directory that does not exist yet: afterwards it still does not.
        var failed = await ServerCommand.RunAsync("import", export, "--data-dir", Data);
        failed.ExitCode.Should().Be(65, failed.Output);
        failed.Output.Should().Contain(Path.GetFileName(file)).And.Contain("does not match the sha256").And.Contain("nothing was imported");
        Directory.Exists(Data).Should().BeFalse(failed.Output);

        // Into a freshly initialized one: afterwards every file in it is as it was.
        (await ServerCommand.RunAsync("init", "--data-dir", Data)).ShouldSucceed();
        var before = ServerCommand.Listing(Data);
        (await ServerCommand.RunAsync("import", export, "--data-dir", Data)).ExitCode.Should().Be(65);
        ServerCommand.Listing(Data).Should().Equal(before);
    }

    [Fact]
    public async Task An_export_on_the_same_file_system_changed_after_the_import_leaves_every_imported_file_as_it_was()
    {
        var export = Path.Combine(_work, "export"); // beside the data directory: one file system
        ServerCommand.CopyTree(ServerCommand.Fixture, export);
        var import = (await ServerCommand.RunAsync("import", export, "--data-dir", Data)).ShouldSucceed();
        import.Output.Should().MatchRegex(@"time taken: reading the export [0-9.]+ s \(CPU [0-9.]+ s\), .*copying files and writing rows .*linking the served tree");
        var imported = ServerCommand.Listing(Data);

        // Every release file of the export written over in place (same inode), as an admin tidying up might.
        var changed = 0;
        foreach (var file in Directory.EnumerateFiles(export, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "dataindex.json"))
        {
            new FileInfo(file).LinkTarget.Should().BeNull();
            await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
            {
                stream.Write("overwritten"u8);
            }
            changed++;
        }
        changed.Should().BeGreaterThan(5);

        ServerCommand.Listing(Data).Should().Equal(imported, "no imported blob may share an inode with the export");
        var check = await ServerCommand.RunAsync("check", "--data-dir", Data);
        check.ShouldSucceed();
    }

    [Fact]
    public async Task A_user_of_devpi_before_4_2_logs_in_with_the_salted_sha256_password_and_is_rehashed_to_ours()
    {
        // The fixture's users all carry devpi 6's argon2id; an older devpi stored pwsalt and a salted SHA-256 pwhash:
        // hashlib.sha256(b'c2FsdHNhbHQ=' + 'pässword'.encode()).hexdigest().
        var export = Path.Combine(_work, "export");
        ServerCommand.CopyTree(ServerCommand.Fixture, export);
        var dataIndex = Path.Combine(export, "dataindex.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(dataIndex))!;
        json["users"]!["legacy"] = new JsonObject
        {
            ["username"] = "legacy",
            ["pwsalt"] = "c2FsdHNhbHQ=",
            ["pwhash"] = "2c3bf25d14d8e7152f51779357510adb7f68e6714acdf3c5a1099c7cc6e6bcd4",
        };
        await File.WriteAllTextAsync(dataIndex, json.ToJsonString());
        (await ServerCommand.RunAsync("import", export, "--data-dir", Data)).ShouldSucceed();
        StoredHashes()["legacy"].Should().NotStartWith("pbkdf2-sha256$");

        await using (var server = await ServerProcess.StartAsync(Data))
        {
            using var http = new TestServer.ClientHelper(server.BaseUrl);
            using (var wrong = await http.Client.PostAsync("+login", Json(new JsonObject { ["user"] = "legacy", ["password"] = "password" })))
            {
                wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            }
            StoredHashes()["legacy"].Should().NotStartWith("pbkdf2-sha256$", "a failed log-in changes nothing");
            var loggedIn = await DevpiClientAsync(http.Client, HttpMethod.Post, "+login", new JsonObject { ["user"] = "legacy", ["password"] = "pässword" }, null);
            loggedIn["result"]!["password"]!.ToString().Should().NotBeEmpty();
            StoredHashes()["legacy"].Should().StartWith("pbkdf2-sha256$");
            (await DevpiClientAsync(http.Client, HttpMethod.Post, "+login", new JsonObject { ["user"] = "legacy", ["password"] = "pässword" }, null))
                ["result"]!["password"]!.ToString().Should().NotBeEmpty("the rehashed password still logs in");
        }
    }

    [Fact]
    public async Task An_import_into_a_data_directory_holding_data_is_refused_and_changes_nothing()
    {
        (await ServerCommand.RunAsync("import", ServerCommand.Fixture, "--data-dir", Data)).ShouldSucceed();
        var before = ServerCommand.Listing(Data);
        var refused = await ServerCommand.RunAsync("import", ServerCommand.Fixture, "--data-dir", Data);
        refused.ExitCode.Should().Be(73, refused.Output);
        refused.Output.Should().Contain("already holds data");
        ServerCommand.Listing(Data).Should().Equal(before);
    }

    [Fact]
    public async Task A_broken_export_is_refused_with_every_problem_named()
    {
        var export = Path.Combine(_work, "export");
        ServerCommand.CopyTree(ServerCommand.Fixture, export);
        File.Delete(Path.Combine(export, "team-a", "dev", "acme-utils", "0.3", "acme_utils-0.3.tar.gz"));
        var index = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(export, "dataindex.json")))!;
        index["indexes"]!["team-b/dev"]!["indexconfig"]!["volatile"] = "perhaps";
        await File.WriteAllTextAsync(Path.Combine(export, "dataindex.json"), index.ToJsonString());
        var refused = await ServerCommand.RunAsync("import", export, "--data-dir", Data);
        refused.ExitCode.Should().Be(65);
        refused.Output.Should().Contain("acme_utils-0.3.tar.gz").And.Contain("team-b/dev").And.Contain("nothing was changed");
        Directory.Exists(Data).Should().BeFalse();
    }

    private Dictionary<string, string> StoredHashes()
    {
        using var store = PackageStore.Open(Data, Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(Data));
        using var reader = store.Read();
        var result = reader.Users().ToDictionary(u => u.Name, u => u.PasswordHash);
        return result;
    }

    private async Task<string> BuildAcmeCoreAsync(string version, string body) =>
        (await PythonProject.BuildAsync(_work, "acme-core", "acme_core", version, body, requiresPython: ">=3.8", wheelOnly: true)).Single();

    /// <summary>
    /// A request exactly as devpi-client's <c>http_api</c> (client/devpi/main.py, versions 6 and 7) sends it: Accept and
    /// content-type both exactly <c>application/json</c>, the body <c>json.dumps</c> of the arguments (none for a GET), and
    /// with a login <c>X-Devpi-Auth</c> = base64 of the ASCII <c>user:token</c>; the answer's JSON.
    /// </summary>
    private static async Task<JsonNode> DevpiClientAsync(HttpClient client, HttpMethod method, string url, JsonObject? arguments, (string User, string Token)? auth)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Content = new ByteArrayContent(arguments is null ? [] : Encoding.UTF8.GetBytes(arguments.ToJsonString()));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (auth is { } a)
        {
            request.Headers.Add("X-Devpi-Auth", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{a.User}:{a.Token}")));
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"{method} {url} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static Task<JsonNode> GetJsonAsync(TestServer.ClientHelper http, string path) => DevpiJson.ResultAsync(http.Client, path);
}
