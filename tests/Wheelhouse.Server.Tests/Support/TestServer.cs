using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Tests.Support;

/// <summary>The real server, in process, on 127.0.0.1 with a free port and a temporary data directory.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string RootPassword = "root-secret";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, string dataDirectory, string baseUrl)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl + "/") };
    }

    public string DataDirectory { get; }

    /// <summary>The server's services (its store, its hosted services), for tests that look inside.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>http://127.0.0.1:PORT (no trailing slash).</summary>
    public string BaseUrl { get; }

    public HttpClient Client { get; }

    /// <summary>What the server logged (at the level <c>StartAsync</c> configured: Warning unless a test asks for more).</summary>
    public LogCapture Log { get; private init; } = null!;

    public static async Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, string? dataDirectory = null,
        Wheelhouse.Server.Mirrors.MirrorHttpOptions? mirrorHttp = null)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("wh-server-test-").FullName;
        var options = new ServerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            DataDirectory = dataDirectory,
            RootPassword = RootPassword,
            LogLevel = LogLevel.Warning,
            Storage = Wheelhouse.Testing.Postgres.TestStorage.ForDataDirectory(dataDirectory),
        };
        options = configure?.Invoke(options) ?? options;
        // Few iterations: the tests exercise the protocol, not the hash's cost.
        var app = await Program.CreateAppAsync(options, new PasswordHasher(iterations: 1000), mirrorHttp);
        var log = new LogCapture();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, dataDirectory, address.TrimEnd('/')) { Log = log };
    }

    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

    public HttpRequestMessage Request(HttpMethod method, string path, string? user = null, string? secret = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Client.BaseAddress!, path.TrimStart('/')));
        if (user is not null)
        {
            request.Headers.Authorization = Basic(user, secret!);
        }
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user = null, string? secret = null, string? json = null) =>
        Client.SendAsync(Request(method, path, user, secret, json));

    /// <summary>Creates a user (password = name + "-pw") and, if given, an index with the given JSON config.</summary>
    public async Task CreateUserAsync(string user)
    {
        using var response = await SendAsync(HttpMethod.Put, user, json: $$"""{"password": "{{user}}-pw"}""");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public async Task CreateIndexAsync(string user, string index, string config = "{}")
    {
        using var response = await SendAsync(HttpMethod.Put, $"{user}/{index}", user, user + "-pw", config);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads a generated wheel as <paramref name="user"/> (password = name + "-pw" unless given), expects 200, returns its bytes.</summary>
    public async Task<byte[]> UploadWheelAsync(string index, string user, string name, string version, string? password = null)
    {
        var wheel = Distributions.Wheel(name, version);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{index}/")
        {
            Content = Distributions.Form(name, version, wheel, Distributions.WheelName(name, version)),
        };
        request.Headers.Authorization = Basic(user, password ?? user + "-pw");
        using var response = await Client.SendAsync(request);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return wheel;
    }

    private bool _keepData;
    private bool _stopped;

    /// <summary>Stops the server cleanly and leaves its data directory for a restart (<c>StartAsync(dataDirectory: ...)</c>).</summary>
    public async Task StopKeepingDataAsync()
    {
        _keepData = true;
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_keepData)
        {
            return;
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on shutdown; the temp dir is cleaned by the OS eventually.
        }
    }

    /// <summary>The same helpers against a server run as a process.</summary>
    public sealed class ClientHelper(string baseUrl) : IDisposable
    {
        public HttpClient Client { get; } = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl + "/") };

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? user = null, string? secret = null, string? json = null)
        {
            var request = new HttpRequestMessage(method, path.TrimStart('/'));
            if (user is not null)
            {
                request.Headers.Authorization = Basic(user, secret!);
            }
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            request.Headers.Accept.ParseAdd("application/json");
            return await Client.SendAsync(request);
        }

        public async Task CreateUserAsync(string user)
        {
            using var response = await SendAsync(HttpMethod.Put, user, json: $$"""{"password": "{{user}}-pw"}""");
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        public async Task CreateIndexAsync(string user, string index, string config = "{}")
        {
            using var response = await SendAsync(HttpMethod.Put, $"{user}/{index}", user, user + "-pw", config);
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        public void Dispose() => Client.Dispose();
    }
}
