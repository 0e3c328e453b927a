using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ServerBench;

namespace MirrorBench;

/// <summary>One server's API as root (logged in once, so calls pay the token check, not PBKDF2).</summary>
internal sealed class Admin : IDisposable
{
    private readonly string _token;

    private Admin(HttpClient http, string token) => (Http, _token) = (http, token);

    /// <summary>No redirects followed: a refresh answers 302 to the page, which must not be fetched as part of it.</summary>
    public HttpClient Http { get; }

    public static async Task<Admin> LoginAsync(string baseUrl, string rootPassword)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromMinutes(2) };
        using var login = new StringContent($$"""{"user": "root", "password": "{{rootPassword}}"}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("+login", login);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"cannot log in to {baseUrl}: {(int)response.StatusCode} {text}");
        }
        return new Admin(http, JsonNode.Parse(text)!["result"]!["password"]!.GetValue<string>());
    }

    public async Task SendAsync(HttpMethod method, string path, string? json = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content ?? (json is null ? null : new StringContent(json, Encoding.UTF8, "application/json")) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:{_token}")));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task UploadAsync(string index, string project, string version)
    {
        var (fileName, bytes) = Wheels.Build(project, version);
        using var form = Wheels.Form("file_upload", project, version, fileName, new ByteArrayContent(bytes));
        await SendAsync(HttpMethod.Post, index + "/", content: form);
    }

    /// <summary>How many file links a simple page (HTML) holds.</summary>
    public async Task<int> LinksAsync(string page) => (await Http.GetStringAsync(page)).Split("<a ").Length - 1;

    public void Dispose() => Http.Dispose();
}
