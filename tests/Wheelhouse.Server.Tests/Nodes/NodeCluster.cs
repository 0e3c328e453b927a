using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Testing.Nginx;

namespace Wheelhouse.Server.Tests.Nodes;

/// <summary>
/// Several wheelhouse-server processes on one PostgreSQL database and one data directory (standing for the shared
/// file system), behind a real nginx (<see cref="NginxProcess"/>). Each node is its own process, so a test can kill it.
/// </summary>
public sealed partial class NodeCluster : IAsyncDisposable
{
    private readonly List<ServerProcess> _nodes;

    private NodeCluster(string dataDirectory, List<ServerProcess> nodes, NginxProcess nginx)
    {
        DataDirectory = dataDirectory;
        _nodes = nodes;
        Nginx = nginx;
        Clients = nodes.Select(n => new TestServer.ClientHelper(n.BaseUrl)).ToList();
        ThroughNginx = new TestServer.ClientHelper(nginx.BaseUrl);
    }

    public string DataDirectory { get; }

    /// <summary>The database the nodes share.</summary>
    public string ConnectionString { get; private init; } = "";

    /// <summary>The <c>WHEELHOUSE_STORAGE_*</c> variables of the nodes, for a command run beside them.</summary>
    public IReadOnlyDictionary<string, string> Storage { get; private init; } = new Dictionary<string, string>();

    public IReadOnlyList<ServerProcess> Nodes => _nodes;

    public NginxProcess Nginx { get; }

    /// <summary>A client per node, straight to it.</summary>
    public IReadOnlyList<TestServer.ClientHelper> Clients { get; }

    public TestServer.ClientHelper ThroughNginx { get; }

    /// <summary>Starts <paramref name="count"/> nodes on <paramref name="connectionString"/>'s database: the first alone (it migrates and creates root), then the rest.</summary>
    public static async Task<NodeCluster> StartAsync(string connectionString, int count = 3)
    {
        var data = Directory.CreateTempSubdirectory("wh-nodes-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["WHEELHOUSE_STORAGE_KIND"] = "postgresql",
            ["WHEELHOUSE_STORAGE_CONNECTION_STRING"] = connectionString,
        };
        var nodes = new List<ServerProcess>();
        for (var i = 0; i < count; i++)
        {
            nodes.Add(await ServerProcess.StartAsync(data, environment: environment));
        }
        var nginx = await NginxProcess.StartAsync(nodes.Select(n => $"127.0.0.1:{n.Port}"), Path.Combine(data, "+f-tree"));
        return new NodeCluster(data, nodes, nginx) { ConnectionString = connectionString, Storage = environment };
    }

    /// <summary>A wheel made once, with its name and sha256: the same bytes wherever it is uploaded.</summary>
    public sealed record Wheel(string Project, string Version, byte[] Content)
    {
        public string FileName => Distributions.WheelName(Project, Version);

        public string Sha256 => Distributions.Sha256(Content);
    }

    public static Wheel MakeWheel(string project, string version) => new(project, version, Distributions.Wheel(project, version));

    /// <summary>Uploads as team (password team-pw); the response, for the caller to judge.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(TestServer.ClientHelper client, string index, Wheel wheel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{index}/")
        {
            Content = Distributions.Form(wheel.Project, wheel.Version, wheel.Content, wheel.FileName),
        };
        request.Headers.Authorization = TestServer.Basic("team", "team-pw");
        return await client.Client.SendAsync(request);
    }

    /// <summary>
    /// Checks through <paramref name="client"/> that <paramref name="wheel"/> is on its project page with its sha256,
    /// and that the file it links to has that sha256.
    /// </summary>
    public static async Task ShouldServeAsync(TestServer.ClientHelper client, string index, Wheel wheel, string because = "")
    {
        var pageUrl = new Uri(client.Client.BaseAddress!, $"{index}/+simple/{wheel.Project}/");
        using var page = await client.Client.GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        page.StatusCode.Should().Be(HttpStatusCode.OK, $"{wheel.FileName} {because}: {html}");
        var link = Regex.Match(html, $"href=\"([^\"]*{Regex.Escape(wheel.FileName)})#sha256=([0-9a-f]{{64}})\"");
        link.Success.Should().BeTrue($"the page lists {wheel.FileName} with its sha256 {because}: {html}");
        link.Groups[2].Value.Should().Be(wheel.Sha256, because);
        var content = await client.Client.GetByteArrayAsync(new Uri(pageUrl, link.Groups[1].Value));
        Convert.ToHexStringLower(SHA256.HashData(content)).Should().Be(wheel.Sha256, $"the file served is the one uploaded {because}");
    }

    public async ValueTask DisposeAsync()
    {
        await Nginx.DisposeAsync();
        foreach (var client in Clients)
        {
            client.Dispose();
        }
        ThroughNginx.Dispose();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a node's last files still closing
        }
    }
}
