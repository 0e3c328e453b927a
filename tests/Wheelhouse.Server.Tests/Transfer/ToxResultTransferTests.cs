using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>
/// Tox results in devpi exports: the real fixture has none, so a copy of it gets one attached to a wheel as devpi-export
/// writes it (beside the project under the tested file's hash spec, <c>for_entrypath</c> naming that file). It is
/// imported, shown in the version's <c>+links</c> with <c>for_href</c> and its history as devpi shows it, served, and
/// exported again in devpi's form; one naming a file the export lacks is refused.
/// </summary>
[Integration]
public sealed class ToxResultTransferTests : IAsyncLifetime
{
    private const string Tested = "acme_core-1.1.0-py3-none-any.whl";
    private const string ToxName = Tested + ".toxresult-20261204183930-0";
    private static readonly byte[] Result = """{"reportversion": "1", "toxversion": "4.11.4", "platform": "linux", "testenvs": {"py311": {"test": [{"retcode": 0, "command": ["pytest"]}]}}}"""u8.ToArray();
    private readonly string _work = Directory.CreateTempSubdirectory("wh-toxresult-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_work, true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_tox_result_is_imported_shown_with_the_file_it_tested_and_exported_again()
    {
        var export = ExportWithToxResult(forEntryPath: $"team-a/dev/+f/abc/def0123456789/{Tested}");
        var data = Path.Combine(_work, "data");
        (await ServerCommand.RunAsync("import", export, "--data-dir", data)).ShouldSucceed().Output.Should().Contain("18/18 files");

        await using (var server = await ServerProcess.StartAsync(data))
        {
            using var http = new TestServer.ClientHelper(server.BaseUrl);
            var links = (await DevpiJson.ResultAsync(http.Client, "team-a/dev/acme-core/1.1.0"))["+links"]!.AsArray();
            var wheel = links.Single(l => l!["href"]!.ToString().EndsWith("/" + Tested, StringComparison.Ordinal))!;
            var tox = links.Single(l => l!["rel"]!.ToString() == "toxresult")!;
            tox["href"]!.ToString().Should().EndWith("/" + ToxName);
            tox["for_href"]!.ToString().Should().Be(wheel["href"]!.ToString());
            tox["hash_spec"]!.ToString().Should().Be("sha256=" + Convert.ToHexStringLower(SHA256.HashData(Result)));
            tox["log"]![0]!["what"]!.ToString().Should().Be("toxresult");
            tox["log"]![0]!["who"]!.ToString().Should().Be("team-a");
            (await http.Client.GetByteArrayAsync(tox["href"]!.ToString())).Should().Equal(Result);
            // Not a release file: not on the simple page.
            (await http.Client.GetStringAsync("team-a/dev/+simple/acme-core/")).Should().NotContain("toxresult");
        }

        var again = Path.Combine(_work, "again");
        (await ServerCommand.RunAsync("export", again, "--data-dir", data)).ShouldSucceed();
        var index = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(again, "dataindex.json")))!;
        var entry = index["indexes"]!["team-a/dev"]!["files"]!.AsArray().Single(f => f!["type"]!.ToString() == "toxresult")!;
        var wheelSha = index["indexes"]!["team-a/dev"]!["files"]!.AsArray()
            .Single(f => f!["relpath"]!.ToString().EndsWith("/" + Tested, StringComparison.Ordinal))!["entrymapping"]!["hashes"]!["sha256"]!.ToString();
        entry["relpath"]!.ToString().Should().Be($"team-a/dev/acme-core/sha256={wheelSha}/{ToxName}");
        entry["for_entrypath"]!.ToString().Should().EndWith("/" + Tested);
        entry["version"]!.ToString().Should().Be("1.1.0");
        entry["log"]![0]!["what"]!.ToString().Should().Be("toxresult");
        (await File.ReadAllBytesAsync(Path.Combine(again, entry["relpath"]!.ToString()))).Should().Equal(Result);

        // And that export imports again.
        (await ServerCommand.RunAsync("import", again, "--data-dir", Path.Combine(_work, "third"))).ShouldSucceed().Output.Should().Contain("18/18 files");
    }

    [Fact]
    public async Task A_tox_result_for_a_file_the_export_lacks_is_refused_naming_it()
    {
        var export = ExportWithToxResult(forEntryPath: "team-a/dev/+f/abc/def0123456789/acme_core-9.9-py3-none-any.whl");
        var data = Path.Combine(_work, "data");
        var refused = await ServerCommand.RunAsync("import", export, "--data-dir", data);
        refused.ExitCode.Should().Be(65, refused.Output);
        refused.Output.Should().Contain(ToxName).And.Contain("acme_core-9.9-py3-none-any.whl").And.Contain("nothing was changed");
        Directory.Exists(data).Should().BeFalse();
    }

    /// <summary>A copy of the fixture with one tox result for <see cref="Tested"/> in team-a/dev, as devpi-export writes one.</summary>
    private string ExportWithToxResult(string forEntryPath)
    {
        var export = Path.Combine(_work, "export");
        ServerCommand.CopyTree(ServerCommand.Fixture, export);
        var dataIndex = Path.Combine(export, "dataindex.json");
        var json = JsonNode.Parse(File.ReadAllText(dataIndex))!;
        var files = json["indexes"]!["team-a/dev"]!["files"]!.AsArray();
        var wheel = files.Single(f => f!["relpath"]!.ToString().EndsWith("/" + Tested, StringComparison.Ordinal))!;
        var relPath = $"team-a/dev/acme-core/{wheel["entrymapping"]!["hash_spec"]}/{ToxName}";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(export, relPath))!);
        File.WriteAllBytes(Path.Combine(export, relPath), Result);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Result));
        files.Add(new JsonObject
        {
            ["version"] = "1.1.0",
            ["entrymapping"] = new JsonObject
            {
                ["last_modified"] = "Fri, 04 Dec 2026 18:39:30 GMT",
                ["hash_spec"] = "sha256=" + sha,
                ["hashes"] = new JsonObject { ["sha256"] = sha },
            },
            ["for_entrypath"] = forEntryPath,
            ["log"] = new JsonArray(new JsonObject { ["what"] = "toxresult", ["who"] = "team-a", ["when"] = new JsonArray(2026, 12, 4, 18, 39, 30), ["dst"] = "team-a/dev" }),
            ["type"] = "toxresult",
            ["projectname"] = "acme-core",
            ["relpath"] = relPath,
        });
        File.WriteAllText(dataIndex, json.ToJsonString());
        return export;
    }
}
