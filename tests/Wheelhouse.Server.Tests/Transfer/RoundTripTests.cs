using System.Net;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>
/// Wheelhouse → export (taken while the server runs) → a fresh Wheelhouse: both servers answer the same users,
/// passwords, indexes, releases, metadata, history, documentation and byte-identical files through the HTTP API.
/// </summary>
[Integration]
public sealed class RoundTripTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("wh-roundtrip-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_work, true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_export_of_a_running_server_imported_into_a_fresh_one_answers_the_same_through_the_API()
    {
        var first = Path.Combine(_work, "first");
        (await ServerCommand.RunAsync("import", ServerCommand.Fixture, "--data-dir", first)).ShouldSucceed();
        await using var a = await ServerProcess.StartAsync(first);
        using var httpA = new TestServer.ClientHelper(a.BaseUrl);
        // Life after the move: qa's hash becomes ours at log-in, a new user, index, upload and doc upload.
        (await LoginAsync(httpA, "qa", "qa-pw")).Should().Be(HttpStatusCode.OK);
        await httpA.CreateUserAsync("newbie");
        await httpA.CreateIndexAsync("newbie", "play", """{"bases": ["team-a/dev"], "volatile": false, "custom_data": {"k": [1, 2]}}""");
        var wheel = Distributions.Wheel("fresh-thing", "0.1");
        using (var upload = new HttpRequestMessage(HttpMethod.Post, "newbie/play/")
        {
            Content = Distributions.Form("fresh-thing", "0.1", wheel, Distributions.WheelName("fresh-thing", "0.1")),
        })
        {
            upload.Headers.Authorization = TestServer.Basic("newbie", "newbie-pw");
            using var uploaded = await httpA.Client.SendAsync(upload);
            uploaded.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var export = Path.Combine(_work, "export");
        var exported = (await ServerCommand.RunAsync("export", export, "--data-dir", first)).ShouldSucceed();
        exported.Output.Should().Contain("exported serial");
        var second = Path.Combine(_work, "second");
        (await ServerCommand.RunAsync("import", export, "--data-dir", second)).ShouldSucceed();
        await using var b = await ServerProcess.StartAsync(second);
        using var httpB = new TestServer.ClientHelper(b.BaseUrl);

        var compared = 0;
        var files = new HashSet<string>();
        var root = await GetAsync(httpA, "");
        (await GetAsync(httpB, "")).ToJsonString().Should().Be(root.ToJsonString());
        foreach (var (user, config) in root.AsObject())
        {
            (await GetAsync(httpB, user)).ToJsonString().Should().Be((await GetAsync(httpA, user)).ToJsonString(), user);
            foreach (var (index, indexConfig) in config!["indexes"]!.AsObject())
            {
                var path = $"{user}/{index}";
                var indexA = await GetAsync(httpA, path);
                (await GetAsync(httpB, path)).ToJsonString().Should().Be(indexA.ToJsonString(), path);
                if (indexConfig!["type"]!.ToString() == "mirror")
                {
                    continue;
                }
                foreach (var project in indexA["projects"]!.AsArray().Select(p => Wheelhouse.Core.Packages.ProjectName.Normalize(p!.ToString())))
                {
                    var projectA = await GetAsync(httpA, $"{path}/{project}");
                    var projectB = await GetAsync(httpB, $"{path}/{project}");
                    Unhosted(projectB, b.BaseUrl).Should().Be(Unhosted(projectA, a.BaseUrl), $"{path}/{project}");
                    compared++;
                    foreach (var link in projectA.AsObject().SelectMany(v => v.Value!["+links"]?.AsArray() ?? []))
                    {
                        var href = link!["href"]!.ToString();
                        var bytesA = await httpA.Client.GetByteArrayAsync(href);
                        var bytesB = await httpB.Client.GetByteArrayAsync(href.Replace(a.BaseUrl, b.BaseUrl, StringComparison.Ordinal));
                        bytesB.Should().Equal(bytesA, href);
                        files.Add(href);
                    }
                }
            }
        }
        compared.Should().BeGreaterThan(5);
        files.Should().HaveCount(18, "the fixture's 17 files and the new upload");

        foreach (var (user, password) in new[] { ("root", "rootpw"), ("qa", "qa-pw"), ("team-a", "a-pw"), ("team-b", "b-pw"), ("shared", "shared-pw"), ("newbie", "newbie-pw") })
        {
            (await LoginAsync(httpB, user, password)).Should().Be(HttpStatusCode.OK, user);
        }
    }

    private static string Unhosted(JsonNode node, string baseUrl) => node.ToJsonString().Replace(baseUrl, "BASE", StringComparison.Ordinal);

    private static async Task<HttpStatusCode> LoginAsync(TestServer.ClientHelper http, string user, string password)
    {
        using var response = await DevpiJson.LoginAsync(http.Client, user, password);
        return response.StatusCode;
    }

    private static Task<JsonNode> GetAsync(TestServer.ClientHelper http, string path) => DevpiJson.ResultAsync(http.Client, path);
}
