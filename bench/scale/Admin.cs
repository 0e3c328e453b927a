using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ScaleBench;

/// <summary>The bench's HTTP client for a running server: root, logged in once (a token, not the password, per request).</summary>
internal sealed class Admin : IDisposable
{
    private readonly string _token;

    private Admin(HttpClient http, string token)
    {
        Http = http;
        _token = token;
    }

    public HttpClient Http { get; }

    public static async Task<Admin> LogInAsync(string baseUrl, string rootPassword)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromMinutes(10) };
        var login = await SendAsync(http, HttpMethod.Post, "+login", "root", rootPassword,
            new StringContent($$"""{"user": "root", "password": "{{rootPassword}}"}""", Encoding.UTF8, "application/json"));
        return new Admin(http, login!["result"]!["password"]!.GetValue<string>());
    }

    public Task<JsonNode?> SendAsync(HttpMethod method, string path, string? json = null) =>
        SendAsync(Http, method, path, "root", _token, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<JsonNode?> UploadAsync(string index, HttpContent form) => SendAsync(Http, HttpMethod.Post, index + "/", "root", _token, form);

    private static async Task<JsonNode?> SendAsync(HttpClient http, HttpMethod method, string path, string user, string secret, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }
        return text.Length > 0 ? JsonNode.Parse(text) : null;
    }

    public void Dispose() => Http.Dispose();
}
