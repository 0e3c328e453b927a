using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Wheelhouse.Server.Tests.Mirrors;
using Wheelhouse.Server.Tests.Support;
using Wheelhouse.Storage;
using Wheelhouse.Testing.Postgres;

namespace Wheelhouse.Server.Tests.Nodes;

/// <summary>
/// Two nodes on one PostgreSQL database and one data directory, both asked at once for a mirror file neither has
/// (issue 14: "mirror fetches of the same file on two nodes download it once or store it once"). The upstream is a
/// real Kestrel that counts its requests and holds the file back until both nodes asked for it (or a few seconds
/// passed), so the two fetches overlap.
/// </summary>
[Integration]
public sealed class MirrorOnSeveralNodesTests : IAsyncLifetime
{
    private static readonly byte[] Wheel = Distributions.Wheel("gizmo", "1.0");
    private static readonly string FileName = Distributions.WheelName("gizmo", "1.0");
    private static readonly string Sha256 = Distributions.Sha256(Wheel);

    private readonly TaskCompletionSource _secondFileRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _connectionString = "";
    private int _fileRequests;
    private UpstreamStub _upstream = null!;
    private NodeCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _upstream = await UpstreamStub.StartAsync(ServeAsync);
        _connectionString = PostgresCluster.Shared.ConnectionString(PostgresCluster.Shared.CreateDatabase("mirrornodes"));
        _cluster = await NodeCluster.StartAsync(_connectionString, count: 2);
        await _cluster.Clients[0].CreateUserAsync("ops");
        await _cluster.Clients[0].CreateIndexAsync("ops", "up", $$"""{"type": "mirror", "mirror_url": "{{_upstream.BaseUrl}}/simple/"}""");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path == "/simple/gizmo/")
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"<html><body><a href=\"{_upstream.BaseUrl}/files/{FileName}#sha256={Sha256}\">{FileName}</a></body></html>");
        }
        else if (path == "/files/" + FileName)
        {
            // The first download waits for the second (at most a few seconds: a node that does not download again never asks).
            if (Interlocked.Increment(ref _fileRequests) >= 2)
            {
                _secondFileRequest.TrySetResult();
            }
            await Task.WhenAny(_secondFileRequest.Task, Task.Delay(TimeSpan.FromSeconds(3)));
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = Wheel.Length;
            await context.Response.Body.WriteAsync(Wheel);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    [Fact]
    public async Task A_file_asked_of_two_nodes_at_once_is_served_by_both_and_stored_and_recorded_once()
    {
        var nodes = _cluster.Clients;
        var fileUrl = $"ops/up/+f/{Sha256[..3]}/{Sha256[3..16]}/{FileName}";
        foreach (var node in nodes)
        {
            (await node.Client.GetStringAsync("ops/up/+simple/gizmo/")).Should().Contain(Sha256, "each node has read the mirror's page");
        }
        var serialBefore = await SerialAsync(nodes[0]);

        var answers = await Task.WhenAll(nodes.Select(async node =>
        {
            using var response = await node.Client.GetAsync(fileUrl);
            return (response.StatusCode, Body: await response.Content.ReadAsByteArrayAsync());
        }));

        foreach (var (status, body) in answers)
        {
            status.Should().Be(HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
            Convert.ToHexStringLower(SHA256.HashData(body)).Should().Be(Sha256, "each node sends the upstream's file");
        }
        // A node answers once the caller has the hash-checked bytes and stores them right after: wait for the first
        // commit, then long enough for the other node's, which follows its download (released with the first) at once.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await SerialAsync(nodes[0]) == serialBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var serials = await Task.WhenAll(nodes.Select(SerialAsync));
        serials.Should().AllBeEquivalentTo(serialBefore + 1,
            $"the file is recorded by one commit, whichever node stored it first ({_fileRequests} upstream download(s)); the other node's commit would be a second serial for the same file");

        using (var store = PackageStore.Open(_cluster.DataDirectory, new StorageSettings(StorageKind.PostgreSql, _connectionString)))
        using (var rows = store.Read())
        {
            rows.IndexFiles("ops", "up").Should().ContainSingle("one file row in the mirror index")
                .Which.Should().Match<FileRecord>(f => f.FileName == FileName && f.Sha256 == Sha256);
            rows.StoredSerial().Should().Be(serialBefore + 1);
        }
        var blobs = Path.Combine(_cluster.DataDirectory, "+files", "sha256");
        Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Should()
            .Equal([Path.Combine(blobs, Sha256[..2], Sha256[2..])], "one blob in the shared store");

        foreach (var node in nodes)
        {
            (await node.Client.GetByteArrayAsync(fileUrl)).Should().Equal(Wheel, "every node serves the stored file afterwards");
        }
        (await SerialAsync(nodes[1])).Should().Be(serialBefore + 1, "serving the stored file commits nothing");
    }

    private static async Task<long> SerialAsync(TestServer.ClientHelper node)
    {
        using var response = await node.Client.GetAsync("+api");
        return long.Parse(response.Headers.GetValues("X-Devpi-Serial").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
