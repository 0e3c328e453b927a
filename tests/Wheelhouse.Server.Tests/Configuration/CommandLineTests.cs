using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Tests.Configuration;

public sealed class CommandLineTests
{
    [Fact]
    public void Serve_takes_config_host_port_and_data_dir()
    {
        var cli = CommandLine.Parse(["serve", "--config", "/etc/x.json", "--host=0.0.0.0", "--port", "8080", "--data-dir", "/srv"], out var error);
        error.Should().BeNull();
        cli!.Command.Should().Be("serve");
        cli.ConfigPath.Should().Be("/etc/x.json");
        cli.Overrides.Should().BeEquivalentTo(new Dictionary<string, string> { ["host"] = "0.0.0.0", ["port"] = "8080", ["dataDir"] = "/srv" });
    }

    [Theory]
    [InlineData("launch", "unknown command 'launch'")]
    [InlineData("serve --colour x", "unknown option '--colour'")]
    [InlineData("serve --port", "needs a value")]
    [InlineData("init extra", "unexpected argument 'extra'")]
    [InlineData("ldap", "expected 'ldap check NAME [--password-stdin]'")]
    [InlineData("ldap check", "ldap check needs the user NAME")]
    [InlineData("ldap check alice bob", "unexpected argument 'bob'")]
    public void Usage_errors_are_explained(string args, string message)
    {
        CommandLine.Parse(args.Split(' '), out var error).Should().BeNull();
        error.Should().Contain(message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--help")]
    [InlineData("serve -h")]
    public void Help_is_a_command(string args) =>
        CommandLine.Parse(args.Split(' ', StringSplitOptions.RemoveEmptyEntries), out _)!.Command.Should().Be("help");

    [Theory]
    [InlineData("version")]
    [InlineData("--version")]
    public void Version_is_a_command(string args) =>
        CommandLine.Parse([args], out _)!.Command.Should().Be("version");

    [Fact]
    public void Ldap_check_takes_a_name_the_password_from_stdin_and_the_ldap_config()
    {
        var cli = CommandLine.Parse(["ldap", "check", "alice", "--password-stdin", "--ldap-config", "/etc/ldap.yaml"], out var error);
        error.Should().BeNull();
        cli!.Command.Should().Be("ldap");
        cli.LdapUser.Should().Be("alice");
        cli.PasswordStdin.Should().BeTrue();
        cli.Overrides.Should().BeEquivalentTo(new Dictionary<string, string> { ["ldapConfig"] = "/etc/ldap.yaml" });
    }
}
