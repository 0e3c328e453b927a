using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Server.Commands;

/// <summary><c>fill</c>'s HTTP conversation with the running server: the target's bases, and <c>POST +fill</c>.</summary>
public sealed class FillServer : IDisposable
{
    private readonly HttpClient _client;

    public FillServer(Uri baseUrl, string? user, string? secret)
    {
        BaseUrl = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/");
        _client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromMinutes(10) };
        _client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        if (user is not null && secret is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
        }
    }

    public Uri BaseUrl { get; }

    public sealed record File(string FileName, string Sha256);

    public sealed record Receipt(IReadOnlyList<string> Copied, IReadOnlyList<string> Present);

    public sealed record Answer<T>(T? Result, string? Problem, bool Unreachable = false);

    /// <summary>The one mirror in <paramref name="target"/>'s resolution order (its bases, transitively).</summary>
    public async Task<(IndexPath? Mirror, string? Problem, bool Unreachable)> FindMirrorAsync(IndexPath target, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([target.ToString()]);
        var mirrors = new List<string>();
        while (queue.TryDequeue(out var index))
        {
            if (!seen.Add(index))
            {
                continue;
            }
            var answer = await GetAsync(index, ct);
            if (answer.Result is not { } config)
            {
                return (null, answer.Problem, answer.Unreachable);
            }
            if ((string?)config["type"] == "mirror")
            {
                mirrors.Add(index);
                continue;
            }
            foreach (var b in config["bases"] as JsonArray ?? [])
            {
                queue.Enqueue((string)b!);
            }
        }
        return mirrors.Count switch
        {
            1 => (IndexPath.Parse(mirrors[0]), null, false),
            0 => (null, $"{target} has no mirror among its bases; name the index to download through with --from", false),
            _ => (null, $"{target} has several mirrors among its bases ({string.Join(", ", mirrors)}); name one with --from", false),
        };
    }

    /// <param name="prefetch">The <c>prefetch</c> of the request: the files the mirror may fetch ahead of pip.</param>
    public async Task<Answer<Receipt>> FillAsync(IndexPath target, IndexPath from, IReadOnlyList<File> files, bool dryRun, CancellationToken ct,
        JsonObject? prefetch = null)
    {
        var body = new JsonObject
        {
            ["from"] = from.ToString(),
            ["dry_run"] = dryRun,
            ["files"] = new JsonArray(files.Select(f => (JsonNode)new JsonObject { ["filename"] = f.FileName, ["sha256"] = f.Sha256 }).ToArray()),
        };
        if (prefetch is not null)
        {
            body["prefetch"] = prefetch;
        }
        var answer = await SendAsync(HttpMethod.Post, $"{target}/+fill", body, ct);
        if (answer.Result is not { } result)
        {
            return new Answer<Receipt>(null, answer.Problem, answer.Unreachable);
        }
        var copied = (result["copied"] as JsonArray ?? []).Select(c => (string)c!["filename"]!).ToList();
        var present = (result["present"] as JsonArray ?? []).Select(p => (string)p!).ToList();
        return new Answer<Receipt>(new Receipt(copied, present), null);
    }

    private Task<Answer<JsonNode>> GetAsync(string index, CancellationToken ct) => SendAsync(HttpMethod.Get, index, null, ct);

    private async Task<Answer<JsonNode>> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        try
        {
            using var response = await _client.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? json = null;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                // not JSON: reported below with the status
            }
            if (response.IsSuccessStatusCode && json?["result"] is { } result)
            {
                return new Answer<JsonNode>(result, null);
            }
            var message = (string?)json?["message"] ?? $"HTTP {(int)response.StatusCode}";
            var hint = response.StatusCode == HttpStatusCode.Unauthorized ? " (give --user and --password-file)" : "";
            return new Answer<JsonNode>(null, $"{method} {new Uri(BaseUrl, path)}: {message}{hint}");
        }
        catch (HttpRequestException e)
        {
            return new Answer<JsonNode>(null, $"the server at {BaseUrl} cannot be reached ({e.Message}); is it running? (--server URL)", Unreachable: true);
        }
    }

    public void Dispose() => _client.Dispose();
}
