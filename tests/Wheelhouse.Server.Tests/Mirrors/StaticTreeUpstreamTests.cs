using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// A static PEP 503 tree served by <c>python3 -m http.server</c>, the simplest "any external index" there is: it
/// ignores Accept and answers HTML; relative links point outside the simple/ folder.
/// </summary>
public sealed class StaticTreeUpstreamTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("wh-static-tree-").FullName;
    private readonly byte[] _wheel = Support.Distributions.Wheel("static-demo", "1.0");
    private Process? _python;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(_wheel));
        Directory.CreateDirectory(Path.Combine(_root, "simple", "static-demo"));
        Directory.CreateDirectory(Path.Combine(_root, "packages"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "packages", "static_demo-1.0-py3-none-any.whl"), _wheel);
        await File.WriteAllTextAsync(Path.Combine(_root, "simple", "index.html"),
            "<!DOCTYPE html><html><body><a href=\"static-demo/\">static-demo</a></body></html>\n");
        await File.WriteAllTextAsync(Path.Combine(_root, "simple", "static-demo", "index.html"),
            $"<!DOCTYPE html><html><body><a href=\"../../packages/static_demo-1.0-py3-none-any.whl#sha256={sha}\" data-requires-python=\"&gt;=3.8\">static_demo-1.0-py3-none-any.whl</a></body></html>\n");

        int port = FreePort();
        // cwd = the tree, never the repository: its packaging/ folder would shadow Python's module.
        var start = new ProcessStartInfo("/usr/bin/python3", ["-I", "-m", "http.server", "--bind", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = _root,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _python = Process.Start(start) ?? throw new InvalidOperationException("cannot start python3 -m http.server");
        _python.ErrorDataReceived += (_, _) => { };
        _python.BeginErrorReadLine();
        _python.BeginOutputReadLine();
        _baseUrl = $"http://127.0.0.1:{port}";
        using var probe = new HttpClient();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var response = await probe.GetAsync(_baseUrl + "/simple/");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException("python3 -m http.server did not start");
    }

    public Task DisposeAsync()
    {
        if (_python is { HasExited: false })
        {
            _python.Kill();
            _python.WaitForExit(5000);
        }
        _python?.Dispose();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Reads_the_tree_and_fetches_a_verified_file()
    {
        using var services = MirrorTestClients.Create();
        var client = services.GetRequiredService<UpstreamSimpleClient>();
        var mirror = MirrorUrl.Parse(_baseUrl + "/simple");
        using var sink = new DirectorySink();

        var list = await client.GetProjectListAsync(mirror, default);
        var page = await client.GetProjectPageAsync(mirror, ProjectName.Parse("Static.Demo"), default);
        var missing = await client.GetProjectPageAsync(mirror, ProjectName.Parse("nothing-here"), default);

        list.Should().BeOfType<UpstreamResult<UpstreamProjectList>.Success>().Which.Value.Projects.Should().Equal("static-demo");
        var link = page.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.Success>().Subject.Value.Links.Single();
        link.Url.AbsoluteUri.Should().Be(_baseUrl + "/packages/static_demo-1.0-py3-none-any.whl");
        link.RequiresPython.Should().Be(">=3.8");
        missing.Should().BeOfType<UpstreamResult<UpstreamProjectPage>.NotFound>();

        var fetched = await services.GetRequiredService<MirrorFileFetcher>().FetchAsync(mirror, link, sink, null, default);

        fetched.Should().BeOfType<UpstreamResult<MirrorFileReceipt>.Success>().Which.Value.Size.Should().Be(_wheel.Length);
        File.ReadAllBytes(sink.StoredPath(link.Sha256!)).Should().Equal(_wheel);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
