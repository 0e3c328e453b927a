using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Wheelhouse.Server;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Ldap;
using Wheelhouse.Server.Tests.Ldap;
using Wheelhouse.Server.Tests.Support;

// Log-in (POST /+login) and upload (twine-style Basic auth) times: a local user against a directory user, cold (the
// first log-in of each user: bind and group search over loopback) and cached. The server runs in process with the
// production password hasher (PBKDF2, 600,000 iterations) and the tests' slapd on loopback.
var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var slapd = new Slapd();
await slapd.InitializeAsync();
var data = Directory.CreateTempSubdirectory("wh-ldap-bench-").FullName;
try
{
    var ldif = new StringBuilder();
    for (var i = 0; i < 2 * users; i++)
    {
        ldif.Append(CultureInfo.InvariantCulture, $"dn: uid=u{i},ou=people,{Slapd.Base}\nobjectClass: inetOrgPerson\nuid: u{i}\ncn: U\nsn: U\nuserPassword: u{i}-pw\n\n");
    }
    ldif.Append(CultureInfo.InvariantCulture, $"dn: cn=benchers,ou=groups,{Slapd.Base}\nobjectClass: groupOfNames\ncn: benchers\n");
    for (var i = 0; i < 2 * users; i++)
    {
        ldif.Append(CultureInfo.InvariantCulture, $"member: uid=u{i},ou=people,{Slapd.Base}\n");
    }
    await slapd.AddAsync(ldif.ToString());
    var config = Path.Combine(data, "ldap.yaml");
    await File.WriteAllTextAsync(config, $$"""
        devpi-ldap:
          url: {{slapd.LdapUrl}}
          user_template: uid={username},ou=people,{{Slapd.Base}}
          group_search:
            base: ou=groups,{{Slapd.Base}}
            filter: (&(objectClass=groupOfNames)(member={userdn}))
            attribute_name: cn
        """);
    var problems = new List<string>();
    var ldap = LdapConfigReader.Read(config, _ => null, problems) ?? throw new InvalidOperationException(string.Join("\n", problems));
    var options = new ServerOptions { Host = "127.0.0.1", Port = 0, DataDirectory = data, RootPassword = "root-pw", LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning, Ldap = ldap, LdapConfigFile = config };
    await using var app = await Wheelhouse.Server.Program.CreateAppAsync(options);
    await app.StartAsync();
    var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/") };

    await Send(HttpMethod.Put, "local", null, """{"password": "local-pw"}""", HttpStatusCode.Created);
    await Send(HttpMethod.Put, "root/bench", ("root", "root-pw"), """{"type": "stage", "bases": [], "acl_upload": ["local", ":benchers"]}""", HttpStatusCode.OK);

    var rows = new List<(string, List<double>)>
    {
        ("log-in, local user, first", await Times(1, _ => Login("local", "local-pw"))),
        ("log-in, local user, again", await Times(users, _ => Login("local", "local-pw"))),
        ("log-in, directory user, cold", await Times(users, i => Login($"u{i}", $"u{i}-pw"))),
        ("log-in, directory user, cached", await Times(users, _ => Login("u0", "u0-pw"))),
        ("upload, local user", await Times(users, i => Upload("local", "local-pw", $"local{i}"))),
        ("upload, directory user, cold", await Times(users, i => Upload($"u{users + i}", $"u{users + i}-pw", $"cold{i}"))),
        ("upload, directory user, cached", await Times(users, i => Upload("u0", "u0-pw", $"cached{i}"))),
    };
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Cpu()}, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start of report; slapd and server on loopback");
    Console.WriteLine($"{"scenario",-34} {"n",5} {"median ms",10} {"p90 ms",8} {"max ms",8}");
    foreach (var (name, times) in rows)
    {
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-34} {times.Count,5} {times[times.Count / 2],10:F2} {times[(int)(times.Count * 0.9)],8:F2} {times[^1],8:F2}"));
    }

    async Task<List<double>> Times(int count, Func<int, Task> action)
    {
        var result = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            await action(i);
            result.Add(clock.Elapsed.TotalMilliseconds);
        }
        return result;
    }

    Task Login(string user, string password) =>
        Send(HttpMethod.Post, "+login", null, $$"""{"user": "{{user}}", "password": "{{password}}"}""", HttpStatusCode.OK);

    async Task Upload(string user, string password, string project)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "root/bench/")
        {
            Content = Distributions.Form(project, "1.0", Distributions.Wheel(project, "1.0"), Distributions.WheelName(project, "1.0")),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await http.SendAsync(request);
        Expect(response, HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    async Task Send(HttpMethod method, string path, (string User, string Password)? auth, string json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (auth is { } a)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{a.User}:{a.Password}")));
        }
        using var response = await http.SendAsync(request);
        Expect(response, expected, await response.Content.ReadAsStringAsync());
    }

    static void Expect(HttpResponseMessage response, HttpStatusCode expected, string body)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        }
    }

    static string Cpu() => File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
}
finally
{
    await slapd.DisposeAsync();
    Directory.Delete(data, recursive: true);
}
