using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wheelhouse.Server.Tests.Ldap;

/// <summary>
/// OpenLDAP's real slapd (Debian's package, see build/Testing/DebianPrerequisites.cs), started on loopback ports with a
/// temporary slapd.conf and database, stopped by its PID. Seeded with users in two OUs, groups of the three common
/// kinds, a nested group and the memberof overlay; TLS with a CA and certificate made here by openssl, on an ldaps://
/// port and by StartTLS on the ldap:// one.
/// </summary>
public sealed class Slapd : IAsyncLifetime
{
    public const string Base = "dc=example,dc=com";
    public const string SearchDn = "cn=search,dc=example,dc=com";
    public const string SearchPassword = "search-pw";
    public const string AdminDn = "cn=admin,dc=example,dc=com";
    private const string AdminPassword = "admin-pw";

    private Process? _process;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("wh-slapd-").FullName;

    public int LdapPort { get; } = FreePort();

    public int LdapsPort { get; } = FreePort();

    public string LdapUrl => $"ldap://127.0.0.1:{LdapPort}";

    public string LdapsUrl => $"ldaps://127.0.0.1:{LdapsPort}";

    /// <summary>The test CA's certificate (PEM), which signed the server's for 127.0.0.1.</summary>
    public string CaFile => Path.Combine(Directory, "ca.pem");

    /// <summary>A second CA that signed nothing the server uses: trusting it must not make the server trusted.</summary>
    public string OtherCaFile => Path.Combine(Directory, "other-ca.pem");

    public static string DnOf(string user) => user switch
    {
        "bob" => $"uid=bob,ou=contractors,{Base}",
        _ => $"uid={user},ou=people,{Base}",
    };

    public async Task InitializeAsync()
    {
        Require("/usr/sbin/slapd", "slapd");
        Require("/usr/bin/ldapadd", "ldap-utils");
        await Run("openssl", "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=Wheelhouse-test-CA");
        await Run("openssl", "req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=Other-CA");
        await Run("openssl", "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1");
        await File.WriteAllTextAsync(Path.Combine(Directory, "ext.cnf"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        await Run("openssl", "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf");
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "db"));
        await File.WriteAllTextAsync(Path.Combine(Directory, "slapd.conf"), $"""
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/nis.schema
            include /etc/ldap/schema/inetorgperson.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            moduleload memberof
            pidfile {Directory}/slapd.pid
            TLSCACertificateFile {Directory}/ca.pem
            TLSCertificateFile {Directory}/server.pem
            TLSCertificateKeyFile {Directory}/server.key
            database mdb
            maxsize 104857600
            suffix "{Base}"
            rootdn "{AdminDn}"
            rootpw {AdminPassword}
            directory {Directory}/db
            overlay memberof
            access to attrs=userPassword by anonymous auth by self write by * none
            access to * by users read by anonymous auth

            """);
        var start = new ProcessStartInfo("/usr/sbin/slapd")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // -d 0: stay in the foreground (a child of the tests, stopped by its PID), log nothing.
        foreach (var arg in new[] { "-f", Path.Combine(Directory, "slapd.conf"), "-h", $"{LdapUrl}/ {LdapsUrl}/", "-d", "0" })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await Answers())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"slapd did not start: {await _process.StandardError.ReadToEndAsync()}");
            }
            await Task.Delay(50);
        }
        await AddAsync(Seed);
    }

    /// <summary>
    /// A devpi-ldap configuration file for the server pointing at <paramref name="url"/>: users found by uid with the
    /// search account, groups of the three kinds with nesting resolved.
    /// </summary>
    public string WriteServerConfig(string url, double timeout = 3)
    {
        var path = Path.Combine(Directory, $"server-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $$"""
            devpi-ldap:
              url: {{url}}
              timeout: {{timeout.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
              user_search:
                base: {{Base}}
                filter: (&(objectClass=inetOrgPerson)(uid={username}))
                attribute_name: dn
                userdn: {{SearchDn}}
                password: {{SearchPassword}}
              group_search:
                base: ou=groups,{{Base}}
                filter: (|(member={userdn})(uniqueMember={userdn})(memberUid={username}))
                attribute_name: cn
              nested_groups: recursive
            """);
        return path;
    }

    /// <summary>A test server using the directory configured in <paramref name="config"/>.</summary>
    public static async Task<Support.TestServer> StartServerAsync(string config, string? dataDirectory = null)
    {
        var problems = new List<string>();
        var settings = Wheelhouse.Server.Ldap.LdapConfigReader.Read(config, _ => null, problems);
        problems.Should().BeEmpty();
        return await Support.TestServer.StartAsync(o => o with { LdapConfigFile = config, Ldap = settings }, dataDirectory);
    }

    /// <summary>Adds entries (LDIF) as the directory's administrator, through the running server so overlays apply.</summary>
    public Task AddAsync(string ldif) => Run("ldapadd", $"-x -H {LdapUrl} -D {AdminDn} -w {AdminPassword}", ldif);

    private async Task<bool> Answers()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, LdapPort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(); // by PID: this process only
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: install Debian's {package} ('./build.sh --target prerequisites')");
        }
    }

    private async Task Run(string tool, string arguments, string? input = null)
    {
        var start = new ProcessStartInfo(tool, arguments)
        {
            WorkingDirectory = Directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = input is not null,
        };
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} failed ({process.ExitCode}): {await stderr}");
        }
    }

    private const string Seed = $"""
        dn: {Base}
        objectClass: dcObject
        objectClass: organization
        o: Example
        dc: example

        dn: {SearchDn}
        objectClass: organizationalRole
        objectClass: simpleSecurityObject
        cn: search
        userPassword: {SearchPassword}

        dn: ou=people,{Base}
        objectClass: organizationalUnit
        ou: people

        dn: ou=contractors,{Base}
        objectClass: organizationalUnit
        ou: contractors

        dn: ou=groups,{Base}
        objectClass: organizationalUnit
        ou: groups

        dn: uid=alice,ou=people,{Base}
        objectClass: inetOrgPerson
        uid: alice
        cn: Alice
        sn: A
        userPassword: alice-pw

        dn: uid=carol,ou=people,{Base}
        objectClass: inetOrgPerson
        uid: carol
        cn: Carol
        sn: C
        userPassword: carol-pw

        dn: uid=bob,ou=contractors,{Base}
        objectClass: inetOrgPerson
        uid: bob
        cn: Bob
        sn: B
        userPassword: bob-pw

        dn: cn=backend,ou=groups,{Base}
        objectClass: groupOfNames
        cn: backend
        member: uid=alice,ou=people,{Base}

        dn: cn=engineering,ou=groups,{Base}
        objectClass: groupOfNames
        cn: engineering
        member: cn=backend,ou=groups,{Base}

        dn: cn=qa,ou=groups,{Base}
        objectClass: groupOfUniqueNames
        cn: qa
        uniqueMember: uid=bob,ou=contractors,{Base}

        dn: cn=tools,ou=groups,{Base}
        objectClass: posixGroup
        cn: tools
        gidNumber: 2001
        memberUid: bob
        memberUid: alice

        """;
}

/// <summary>One slapd shared by every test class that needs a directory.</summary>
[CollectionDefinition(Name)]
public sealed class SlapdCollection : ICollectionFixture<Slapd>
{
    public const string Name = "slapd";
}
