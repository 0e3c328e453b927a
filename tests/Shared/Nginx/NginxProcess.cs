using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wheelhouse.Testing.Nginx;

/// <summary>
/// Debian's real nginx (/usr/sbin/nginx) on a loopback port, in the foreground as one process with a temporary prefix, in front of
/// several server nodes; stopped by its PID. Its proxy rules are those of wheelhouse-nginx's site
/// (debian-templates/wheelhouse-nginx/site.conf.sbn) without TLS: one server line per node with max_fails and
/// fail_timeout, proxy_next_upstream on errors and timeouts only (so never for a POST), the same headers. Shared by
/// the several-nodes tests and bench/scale's node runs.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;

    private NginxProcess(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public int Port { get; }

    public string BaseUrl { get; }

    /// <summary>What nginx logged (its error log: upstream failures, "no live upstreams").</summary>
    public string ErrorLog => File.Exists(Path.Combine(_prefix, "error.log")) ? File.ReadAllText(Path.Combine(_prefix, "error.log")) : "";

    /// <param name="nodes">host:port of each node.</param>
    public static async Task<NginxProcess> StartAsync(IEnumerable<string> nodes, string? servedTree = null)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install Debian's nginx ('./build.sh --target prerequisites')");
        }
        var prefix = Directory.CreateTempSubdirectory("wh-nginx-").FullName;
        var port = FreePort();
        var servers = string.Join("\n", nodes.Select(n => $"        server {n} max_fails=3 fail_timeout=10s;"));
        var files = servedTree is null ? "" : $$"""
                    location ~ "^/[^/]+/[^/]+/\+f/[0-9a-f]{3}/[0-9a-f]{13}/[^/]+$" {
                        root {{servedTree}};
                        try_files $wheelhouse_file_on_disk @wheelhouse;
                        add_header X-Wheelhouse-Served-By nginx;
                    }
                    location @wheelhouse {
                        proxy_pass http://wheelhouse_server;
                    }
            """;
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            daemon off;
            master_process off;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                map "$request_method $http_accept" $wheelhouse_file_on_disk {
                    default "/+server";
                    "~*^(GET|HEAD) (?!.*json)" $uri;
                }
                upstream wheelhouse_server {
            {{servers}}
                    keepalive 16;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    client_max_body_size 512m;
                    proxy_request_buffering off;
                    proxy_read_timeout 300s;
                    proxy_send_timeout 300s;
                    proxy_next_upstream error timeout;
                    proxy_next_upstream_tries 3;
                    proxy_next_upstream_timeout 30s;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Outside-URL $scheme://$http_host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
            {{files}}
                    location / {
                        proxy_pass http://wheelhouse_server;
                    }
                }
            }

            """);
        var info = new ProcessStartInfo(Binary)
        {
            ArgumentList = { "-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-e", Path.Combine(prefix, "error.log") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // It logs to error.log; what little it writes before reading its configuration is read and dropped, so a full
        // pipe never blocks it.
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nginx = new NginxProcess(process, prefix, port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        using var client = new HttpClient();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {nginx.ErrorLog}");
            }
            try
            {
                using var response = await client.GetAsync(nginx.BaseUrl + "/+api");
                return nginx;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // by PID; one process (master_process off), so nothing is left behind
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // a worker still closing its files
        }
    }
}
