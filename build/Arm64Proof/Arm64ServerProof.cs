using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Wheelhouse.Build.InstallProof;

namespace Wheelhouse.Build.Arm64Proof;

/// <summary>
/// Runs the built arm64 package's server on this (amd64) machine through qemu-user-static, with the arm64 libraries
/// as its root (<see cref="ForeignRoot"/>): <c>version</c>, <c>init</c>, <c>serve</c>, a log-in, an upload and the
/// simple page that lists it, and the file back. Each is one check; an arm64 regression fails CI. The server is
/// stopped by its PID and the temporary root removed whatever happens.
/// </summary>
public sealed class Arm64ServerProof(TextWriter log, string cacheDirectory)
{
    private const string RootPassword = "arm64-proof-secret";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public ProofTally Tally { get; } = new();

    public async Task RunAsync(string serverDeb)
    {
        var clock = Stopwatch.StartNew();
        var shell = new Shell(log);
        var work = Directory.CreateTempSubdirectory("wh-arm64-").FullName;
        HostProcess? server = null;
        try
        {
            var version = (await shell.CheckAsync("reading the package version", ["dpkg-deb", "--field", serverDeb, "Version"])).StandardOutput.Trim();
            var root = Path.Combine(work, "root");
            await new ForeignRoot(shell, cacheDirectory).BuildAsync(root, [serverDeb]);
            var data = Path.Combine(work, "data");
            var port = FreePort();
            var baseUrl = $"http://127.0.0.1:{port}";
            string[] Server(params string[] args) =>
                ["env", $"QEMU_LD_PREFIX={root}", $"WHEELHOUSE_ROOT_PASSWORD={RootPassword}", "qemu-aarch64-static",
                 Path.Combine(root, "usr", "lib", "wheelhouse-server", "wheelhouse-server"), .. args];
            string[] options = ["--config", Path.Combine(root, "etc", "wheelhouse-server", "wheelhouse.json"), "--data-dir", data, "--host", "127.0.0.1", "--port", $"{port}"];

            await CheckAsync($"the arm64 server runs under qemu and reports its package's version {version}", async () =>
            {
                var reported = (await shell.CheckAsync("wheelhouse-server version", Server("version"))).StandardOutput.Trim();
                Expect(reported == version, $"the server says it is {reported}, its package is {version}");
            });
            await CheckAsync("init creates the data directory and root", async () =>
            {
                await shell.CheckAsync("wheelhouse-server init", Server(["init", .. options]));
                Expect(File.Exists(Path.Combine(data, "wheelhouse.sqlite")), $"init made no database in {data}");
            });

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            await CheckAsync("serve answers /+status with the package's version", async () =>
            {
                server = HostProcess.Start(Server(["serve", .. options]), log, "arm64 server");
                var status = await WaitForStatusAsync(http, baseUrl, server);
                var header = status.Headers.TryGetValues("X-Devpi-Server-Version", out var values) ? values.Single() : null;
                Expect(header == version, $"X-Devpi-Server-Version is {header}, the package is {version}");
            });
            string? token = null;
            await CheckAsync("root logs in", async () =>
            {
                using var login = await http.PostAsync($"{baseUrl}/+login", Json($$"""{"user": "root", "password": "{{RootPassword}}"}"""));
                var body = await login.Content.ReadAsStringAsync();
                Expect(login.StatusCode == HttpStatusCode.OK, $"POST /+login answered {(int)login.StatusCode}: {body}");
                token = JsonNode.Parse(body)!["result"]!["password"]!.GetValue<string>();
            });
            var wheel = TestWheel.Default with { Project = "wheelhouse-arm64-proof", Module = "wheelhouse_arm64_proof", Message = "served by arm64" };
            var content = wheel.Build();
            await CheckAsync("an upload to a new index is stored", async () =>
            {
                using var create = await http.SendAsync(Authorized(HttpMethod.Put, $"{baseUrl}/root/arm64", token!, Json("{}")));
                Expect(create.IsSuccessStatusCode, $"PUT /root/arm64 answered {(int)create.StatusCode}: {await create.Content.ReadAsStringAsync()}");
                using var upload = await http.SendAsync(Authorized(HttpMethod.Post, $"{baseUrl}/root/arm64/", token!, UploadForm(wheel, content)));
                Expect(upload.StatusCode == HttpStatusCode.OK, $"the upload answered {(int)upload.StatusCode}: {await upload.Content.ReadAsStringAsync()}");
            });
            await CheckAsync("the simple page lists the wheel and the file comes back unchanged", async () =>
            {
                var pageUrl = $"{baseUrl}/root/arm64/+simple/{wheel.Project}/";
                var page = await http.GetStringAsync(pageUrl);
                var start = page.IndexOf("href=\"", StringComparison.Ordinal);
                Expect(start >= 0 && page.Contains(wheel.FileName, StringComparison.Ordinal), $"{pageUrl} does not link {wheel.FileName}:\n{page}");
                var href = page[(start + 6)..page.IndexOfAny(['"', '#'], start + 6)];
                var file = await http.GetByteArrayAsync(new Uri(new Uri(pageUrl), href));
                Expect(file.AsSpan().SequenceEqual(content), $"the downloaded {wheel.FileName} differs from the upload ({file.Length} bytes, {content.Length} sent)");
            });
            await CheckAsync("the server stops on SIGTERM", async () =>
            {
                Expect(server is not null, "the server never started");
                await server!.StopAsync(TimeSpan.FromSeconds(60));
                Expect(server.HasExited, "the server did not exit");
            });
        }
        catch (InstallProofException ex)
        {
            log.WriteLine($"FAILED before the checks could run: {ex.Message}");
            Tally.Fail($"arm64 proof, before the checks could run: {ex.Message}");
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            Directory.Delete(work, recursive: true);
            log.WriteLine($"arm64 proof: {Tally.ClosingLine} in {clock.Elapsed.TotalSeconds:F0} s");
        }
    }

    private async Task CheckAsync(string claim, Func<Task> check)
    {
        log.WriteLine($"arm64: {claim}");
        try
        {
            await check();
            Tally.Pass();
            log.WriteLine("  ok");
        }
        catch (Exception ex) when (ex is InstallProofException or HttpRequestException or TaskCanceledException)
        {
            Tally.Fail($"arm64: {claim}: {ex.Message}");
            log.WriteLine($"  FAILED: {ex.Message}");
        }
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InstallProofException(failure);
        }
    }

    private static async Task<HttpResponseMessage> WaitForStatusAsync(HttpClient http, string baseUrl, HostProcess server)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Expect(!server.HasExited, "the server exited before answering /+status (see its output above)");
            try
            {
                var response = await http.GetAsync($"{baseUrl}/+status");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return response;
                }

                response.Dispose();
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            Expect(deadline.Elapsed < StartTimeout, $"no answer from {baseUrl}/+status within {StartTimeout.TotalSeconds:0} s");
            await Task.Delay(500);
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpRequestMessage Authorized(HttpMethod method, string url, string token, HttpContent content)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{token}")));
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    private static MultipartFormDataContent UploadForm(TestWheel wheel, byte[] content)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("file_upload"), ":action" },
            { new StringContent(wheel.Project), "name" },
            { new StringContent(wheel.Version), "version" },
            { new StringContent("1"), "protocol_version" },
            { new StringContent("bdist_wheel"), "filetype" },
            { new StringContent("py3"), "pyversion" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "content", wheel.FileName);
        return form;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
