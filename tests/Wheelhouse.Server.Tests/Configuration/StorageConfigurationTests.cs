using Wheelhouse.Server.Configuration;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Tests.Configuration;

/// <summary>storage.kind, storage.connectionString and storage.passwordFile from the file and the environment.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StorageConfigurationTests : IDisposable
{
    private const string Secret = "s3cret-from-file";
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-storage-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private static ConfigurationResult Load(string? file, params (string, string)[] env) =>
        ConfigurationLoader.Load(file, new Dictionary<string, string>(), env.ToDictionary(v => v.Item1, v => (string?)v.Item2));

    [Fact]
    public void Sqlite_is_the_default()
    {
        Load(null).Options!.Storage.Should().Be(StorageSettings.Sqlite);
    }

    [Fact]
    public void A_storage_object_in_the_file_names_postgresql_with_the_password_from_a_file()
    {
        var password = Write("db-password", Secret + "\n");
        var config = Write("wheelhouse.json", $$"""
            { "storage": { "kind": "postgresql", "connectionString": "Host=db.example.com;Database=wheelhouse;Username=wh", "passwordFile": "{{password}}" } }
            """);
        var options = Load(config).Options!;
        options.Storage.Kind.Should().Be(StorageKind.PostgreSql);
        options.Storage.ConnectionString.Should().Contain("Password=" + Secret).And.Contain("Host=db.example.com");
        options.Storage.ToString().Should().NotContain(Secret, "a logged setting never shows the password")
            .And.Contain("'wheelhouse'").And.Contain("db.example.com:5432");
    }

    [Fact]
    public void The_environment_overrides_the_file()
    {
        var password = Write("db-password", Secret);
        var config = Write("wheelhouse.json", """{ "storage.kind": "sqlite" }""");
        var options = Load(config, ("WHEELHOUSE_STORAGE_KIND", "postgresql"),
            ("WHEELHOUSE_STORAGE_CONNECTION_STRING", "Host=10.0.0.5;Port=6432;Database=pkg;Username=wh"), ("WHEELHOUSE_STORAGE_PASSWORD_FILE", password)).Options!;
        options.Storage.Kind.Should().Be(StorageKind.PostgreSql);
        options.Storage.Describe("/unused").Should().Be("PostgreSQL database 'pkg' on 10.0.0.5:6432 as 'wh'");
    }

    [Fact]
    public void Every_storage_problem_is_reported_at_once_and_none_shows_a_password()
    {
        var open = Write("open-password", Secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var config = Write("wheelhouse.json", $$"""
            { "port": 70000, "storage": { "kind": "postgresql", "connectionString": "Host=db;Database=x;Username=u", "passwordFile": "{{open}}" } }
            """);
        var result = Load(config);
        result.Options.Should().BeNull();
        result.Problems.Should().HaveCount(2);
        result.Problems.Should().Contain(p => p.Contains("readable by every user") && p.Contains(open));
        result.Problems.Should().NotContain(p => p.Contains(Secret));

        Load(Write("a.json", """{ "storage": { "kind": "mysql" } }""")).Problems.Should().ContainSingle().Which.Should().Contain("sqlite").And.Contain("postgresql");
        Load(Write("b.json", """{ "storage": { "kind": "postgresql" } }""")).Problems.Should().ContainSingle().Which.Should().Contain("storage.connectionString");
        Load(Write("c.json", """{ "storage": { "connectionString": "Host=db;Database=x" } }""")).Problems.Should().ContainSingle()
            .Which.Should().Contain("storage.kind");
        Load(Write("d.json", """{ "storage": { "kind": "postgresql", "connectionString": "Database=x" } }""")).Problems.Should().ContainSingle()
            .Which.Should().Contain("Host");
        Load(Write("e.json", """{ "storage": { "kind": "postgresql", "connectionString": "Host=db;Database=x;Password=inline-pw;Bogus=1" } }"""))
            .Problems.Should().ContainSingle().Which.Should().NotContain("inline-pw");
        var both = Write("pw", Secret);
        Load(Write("f.json", $$"""{ "storage": { "kind": "postgresql", "connectionString": "Host=db;Database=x;Password=inline-pw", "passwordFile": "{{both}}" } }"""))
            .Problems.Should().ContainSingle().Which.Should().Contain("once").And.NotContain("inline-pw");
        Load(Write("g.json", $$"""{ "storage": { "kind": "postgresql", "connectionString": "Host=db;Database=x", "passwordFile": "{{_dir}}/missing" } }"""))
            .Problems.Should().ContainSingle().Which.Should().Contain("cannot read the password file");
        Load(Write("h.json", """{ "storage": { "kind": "sqlite", "colour": "blue" } }""")).Problems.Should().ContainSingle()
            .Which.Should().Contain("unknown key 'storage.colour'");
    }
}
