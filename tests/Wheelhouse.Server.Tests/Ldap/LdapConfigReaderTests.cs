using System.DirectoryServices.Protocols;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Tests.Ldap;

public sealed class LdapConfigReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-ldapconf-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string yaml, string name = "ldap.yaml")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static (LdapSettings? Settings, List<string> Problems) Read(string path, string? credentials = null)
    {
        var problems = new List<string>();
        var settings = LdapConfigReader.Read(path, n => n == "CREDENTIALS_DIRECTORY" ? credentials : null, problems);
        return (settings, problems);
    }

    private static string Example(string name) =>
        Wheelhouse.Testing.RepositoryRoot.Combine("tests", "Wheelhouse.Server.Tests", "Ldap", "examples", name);

    [Fact]
    public void Reads_devpi_ldaps_template_example_unchanged()
    {
        var (s, problems) = Read(Example("devpi-ldap-readme-template.yaml"));
        problems.Should().BeEmpty();
        s!.Servers.Should().ContainSingle().Which.Url.Should().Be(new Uri("ldap://example.com"));
        s.UserTemplate.Should().Be("CN={username},CN=Partition1,DC=Example,DC=COM");
        s.GroupSearch!.Filter.Should().Be("(&(objectClass=group)(member={userdn}))");
        s.GroupSearch.Scope.Should().Be(SearchScope.Subtree);
        s.GroupSearch.AttributeName.Should().Be("CN");
        s.Timeout.Should().Be(TimeSpan.FromSeconds(10));
        s.Referrals.Should().BeTrue();
    }

    [Fact]
    public void Reads_devpi_ldaps_active_directory_example_unchanged()
    {
        var (s, problems) = Read(Example("devpi-ldap-readme-active-directory.yaml"));
        problems.Should().BeEmpty();
        s!.UserTemplate.Should().BeNull();
        s.UserSearch!.Filter.Should().Be("(&(objectClass=user)(sAMAccountName={username}))");
        s.UserSearch.AttributeName.Should().Be("distinguishedName");
        s.UserSearch.BindDn.Should().BeNull();
    }

    [Fact]
    public void Reads_devpi_ldaps_server_pool_example_unchanged_in_order_with_its_ca_files()
    {
        var (s, problems) = Read(Example("devpi-ldap-readme-server-pool.yaml"));
        problems.Should().BeEmpty();
        s!.Servers.Select(x => x.Url.ToString()).Should().Equal(
            "ldap://server1.example.com/", "ldap://server2.example.com:3268/", "ldaps://server3.example.com:636/", "ldaps://server4.example.com:3269/");
        s.Servers.Select(x => x.Port).Should().Equal(389, 3268, 636, 3269);
        s.Servers.Select(x => x.CaFile).Should().Equal(null, null, "/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/ca-certificates.crt");
    }

    [Fact]
    public void Reads_our_own_keys_and_the_search_password_from_a_credentials_file()
    {
        var credentials = Directory.CreateDirectory(Path.Combine(_dir, "creds")).FullName;
        File.WriteAllText(Path.Combine(credentials, "ldap-search"), "s3cret\n");
        var ca = Write("not checked here", "ca.pem");
        var path = Write($"""
            devpi-server:
              port: 3141
            devpi-ldap:
              url: ldap://ldap.example.com
              start_tls: true
              ca_file: {ca}
              timeout: 2.5
              referrals: false
              reject_as_unknown: true
              user_search:
                base: ou=people,dc=example,dc=com
                filter: (uid={"{username}"})
                scope: single-level
                attribute_name: dn
                userdn: cn=search,dc=example,dc=com
                password_file: ldap-search
              group_attribute: memberOf
              nested_groups: recursive
              nested_groups_depth: 3
              cache_seconds: 60
              cache_size: 100
            """);
        var (s, problems) = Read(path, credentials);
        problems.Should().BeEmpty();
        s!.Servers.Single().Should().Be(new LdapServer(new Uri("ldap://ldap.example.com"), true, ca));
        s.UserSearch!.Password.Should().Be("s3cret");
        s.UserSearch.Scope.Should().Be(SearchScope.OneLevel);
        s.GroupAttribute.Should().Be("memberOf");
        s.NestedGroups.Should().Be(NestedGroups.Recursive);
        s.NestedGroupsDepth.Should().Be(3);
        s.Timeout.Should().Be(TimeSpan.FromSeconds(2.5));
        s.Referrals.Should().BeFalse();
        s.CacheLifetime.Should().Be(TimeSpan.FromMinutes(1));
        s.CacheSize.Should().Be(100);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_its_key()
    {
        var path = Write("""
            devpi-ldap:
              url: http://ldap.example.com
              colour: blue
              timeout: -1
              user_template: uid=fixed,dc=example,dc=com
              group_search:
                base: dc=example,dc=com
                filter: (member={user})
                scope: everything
                userdn: cn=search,dc=example,dc=com
              server_pool:
                - url: ldaps://a
                  tls:
                    validate: 0
                    ciphers: ALL
              nested_groups: maybe
            """);
        var (s, problems) = Read(path);
        s.Should().BeNull();
        problems.Should().OnlyContain(p => p.StartsWith($"ldap config {path}: devpi-ldap", StringComparison.Ordinal));
        problems.Should().Contain(p => p.Contains("devpi-ldap: unknown key 'colour'"));
        problems.Should().Contain(p => p.Contains("devpi-ldap: give either 'url' or 'server_pool'"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.timeout: '-1'"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.user_template: 'uid=fixed,dc=example,dc=com' must contain {username}"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.group_search: 'attribute_name' is required"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.group_search.filter: unknown placeholder '{user}'"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.group_search.scope: 'everything'"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.group_search: 'userdn' needs 'password'"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.nested_groups: 'maybe'"));
        problems.Should().HaveCount(9); // server_pool beside url is not read further
    }

    [Fact]
    public void Pool_entries_are_checked_one_by_one()
    {
        var path = Write("""
            devpi-ldap:
              server_pool:
                - url: ldaps://a
                  tls:
                    validate: 0
                    ciphers: ALL
                - tls: {}
                - url: ldaps://b
                  start_tls: true
              user_template: uid={username},dc=example,dc=com
            """);
        var (_, problems) = Read(path);
        problems.Should().Contain(p => p.Contains("devpi-ldap.server_pool[0].tls.validate: Wheelhouse always validates"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.server_pool[0].tls: unknown key 'ciphers'"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.server_pool[1]: each server needs a 'url'"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.server_pool[2].start_tls: ldaps://b/ is already TLS"));
        problems.Should().HaveCount(4);
    }

    [Theory]
    [InlineData("not: [yaml", "not valid YAML")]
    [InlineData("other: 1", "expected one YAML document with a 'devpi-ldap:' mapping")]
    public void A_file_without_the_mapping_says_what_is_expected(string yaml, string expected)
    {
        var (_, problems) = Read(Write(yaml));
        problems.Should().ContainSingle().Which.Should().Contain(expected);
    }

    [Fact]
    public void Missing_password_and_ca_files_are_start_up_errors()
    {
        var path = Write("""
            devpi-ldap:
              url: ldaps://ldap.example.com
              ca_file: /nonexistent/ca.pem
              user_search:
                base: dc=example,dc=com
                filter: (uid={username})
                attribute_name: dn
                userdn: cn=search,dc=example,dc=com
                password_file: /nonexistent/password
            """);
        var (_, problems) = Read(path);
        problems.Should().Contain(p => p.Contains("devpi-ldap.ca_file: file '/nonexistent/ca.pem' does not exist"));
        problems.Should().Contain(p => p.Contains("devpi-ldap.user_search.password_file: cannot read '/nonexistent/password'"));
    }

    [Fact]
    public void The_server_configuration_reads_the_file_from_option_environment_or_key_and_reports_its_problems_with_the_rest()
    {
        var good = Example("devpi-ldap-readme-template.yaml");
        var bad = Write("devpi-ldap:\n  url: ldap://x\n");
        var fromEnv = ConfigurationLoader.Load(null, new Dictionary<string, string>(), new Dictionary<string, string?> { ["WHEELHOUSE_LDAP_CONFIG"] = good });
        fromEnv.Options!.Ldap!.UserTemplate.Should().NotBeNull();
        fromEnv.Options.LdapConfigFile.Should().Be(good);

        var json = Write($$"""{ "ldapConfig": "{{bad}}", "port": 99999 }""", "wheelhouse.json");
        var fromFile = ConfigurationLoader.Load(json, new Dictionary<string, string>(), new Dictionary<string, string?>());
        fromFile.Options.Should().BeNull();
        fromFile.Problems.Should().Contain(p => p.Contains("'user_template' or 'user_search'"));
        fromFile.Problems.Should().Contain(p => p.Contains("port"));

        var cli = CommandLine.Parse(["serve", "--ldap-config", good, "--config", json], out _)!;
        ConfigurationLoader.Load(cli.ConfigPath, cli.Overrides, new Dictionary<string, string?>()).Problems.Should().ContainSingle(p => p.Contains("port"));
    }
}
