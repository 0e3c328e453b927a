using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// A small HTTP forward proxy on 127.0.0.1, as a company's egress proxy would be: it takes absolute-form requests
/// ("GET http://host:port/path HTTP/1.1"), records them, forwards each to its origin with Connection: close and
/// copies the answer back. With <see cref="RequiredCredentials"/> it answers 407 until Proxy-Authorization matches.
/// </summary>
internal sealed class LoopbackForwardProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private LoopbackForwardProxy(string? requiredCredentials)
    {
        RequiredCredentials = requiredCredentials;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>"user:password" the proxy insists on, or null for an open proxy.</summary>
    public string? RequiredCredentials { get; }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>The request lines forwarded (the absolute URL the client asked the proxy for).</summary>
    public ConcurrentQueue<string> Forwarded { get; } = new();

    /// <summary>How many requests were turned away with 407.</summary>
    public int Challenged => _challenged;

    private int _challenged;

    public static LoopbackForwardProxy Start(string? requiredCredentials = null) => new(requiredCredentials);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            while (await ReadHeadAsync(stream) is { } head)
            {
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var headers = lines[1..].Where(l => l.Length > 0).Select(l => l.Split(':', 2)).ToList();
                string? Header(string name) => headers.FirstOrDefault(h => h[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();

                if (RequiredCredentials is not null && Header("Proxy-Authorization") != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(RequiredCredentials)))
                {
                    Interlocked.Increment(ref _challenged);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"egress\"\r\nContent-Length: 0\r\n\r\n"));
                    continue;
                }
                if (parts.Length != 3 || !Uri.TryCreate(parts[1], UriKind.Absolute, out var target) || target.Scheme != "http")
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    return;
                }
                Forwarded.Enqueue(lines[0]);
                await ForwardAsync(stream, parts[0], target, headers, long.TryParse(Header("Content-Length"), out var length) ? length : 0);
                return;
            }
        }
        catch (IOException)
        {
            // The client went away; nothing to answer.
        }
    }

    private static async Task ForwardAsync(NetworkStream client, string method, Uri target, List<string[]> headers, long bodyLength)
    {
        using var origin = new TcpClient();
        await origin.ConnectAsync(target.Host, target.Port);
        var upstream = origin.GetStream();
        var head = new StringBuilder($"{method} {target.PathAndQuery} HTTP/1.1\r\n");
        foreach (var h in headers.Where(h => !h[0].StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
                     && !h[0].Equals("Connection", StringComparison.OrdinalIgnoreCase) && !h[0].Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append($"{h[0]}:{h[1]}\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        await upstream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (bodyLength > 0)
        {
            var buffer = new byte[bodyLength];
            await client.ReadExactlyAsync(buffer);
            await upstream.WriteAsync(buffer);
        }
        await upstream.CopyToAsync(client);
    }

    /// <summary>The request line and headers up to the blank line, or null when the client closed the connection.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (!(bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            bytes.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. bytes]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
