using Npgsql;
using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Tests.Configuration;

/// <summary>The connection string and its password file, as the configuration and migrate-storage both take them.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresConnectionTests : IDisposable
{
    private const string Secret = "s3cret-pw-4711";
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-pgconn-").FullName;
    private readonly List<string> _problems = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PasswordFile(string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(_dir, "password");
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private static PostgresConnection.Given Option(string value) => new(value, "--connection-string");

    [Fact]
    public void The_files_first_line_becomes_the_password()
    {
        var file = PasswordFile(Secret + "\nignored\n");

        var resolved = PostgresConnection.Resolve(Option("Host=db;Database=wh;Username=wh"), new(file, "--password-file"), _problems);

        _problems.Should().BeEmpty();
        new NpgsqlConnectionStringBuilder(resolved).Should().BeEquivalentTo(new { Host = "db", Database = "wh", Username = "wh", Password = Secret });
    }

    [Fact]
    public void Without_a_file_the_string_stands_as_given()
    {
        PostgresConnection.Resolve(Option("Host=db;Database=wh"), null, _problems).Should().Be("Host=db;Database=wh");
        _problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Database=wh", "--connection-string: it names no Host")]
    [InlineData("Host=db", "--connection-string: it names no Database")]
    [InlineData("Host=db;Database=wh;Password=inline-pw;Bogus=1", "--connection-string: it is not a valid connection string")]
    public void A_string_of_the_wrong_form_is_named_by_its_option(string connectionString, string problem)
    {
        PostgresConnection.Resolve(Option(connectionString), null, _problems).Should().BeNull();

        _problems.Should().ContainSingle().Which.Should().StartWith(problem).And.NotContain("inline-pw");
    }

    [Fact]
    public void A_password_in_both_places_is_refused_where_the_configuration_gave_them()
    {
        var file = PasswordFile(Secret);

        PostgresConnection.Resolve(new("Host=db;Database=wh;Password=inline-pw", "storage.connectionString", "/etc/wh.json"),
            new(file, "storage.passwordFile", "/etc/wh.json"), _problems).Should().BeNull();

        _problems.Should().Equal("/etc/wh.json: storage.connectionString holds a password and storage.passwordFile gives one too; "
            + "give it once, in storage.passwordFile");
    }

    [Fact]
    public void A_file_others_may_read_an_empty_one_or_none_is_refused_and_never_shows_the_password()
    {
        var open = PasswordFile(Secret, UnixFileMode.UserRead | UnixFileMode.OtherRead);
        PostgresConnection.Resolve(Option("Host=db;Database=wh"), new(open, "--password-file"), _problems).Should().BeNull();
        var empty = PasswordFile("\n");
        PostgresConnection.Resolve(Option("Host=db;Database=wh"), new(empty, "--password-file"), _problems).Should().BeNull();
        PostgresConnection.Resolve(Option("Host=db;Database=wh"), new(Path.Combine(_dir, "none"), "--password-file"), _problems).Should().BeNull();

        _problems.Should().SatisfyRespectively(
            p => p.Should().Be($"--password-file: the password file {open} is readable by every user; chmod o-r it (0600 or 0640)"),
            p => p.Should().StartWith("--password-file: the password file").And.Contain("is empty"),
            p => p.Should().StartWith("--password-file: cannot read the password file"));
        _problems.Should().NotContain(p => p.Contains(Secret));
    }
}
