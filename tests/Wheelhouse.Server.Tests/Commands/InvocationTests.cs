using Wheelhouse.Server.Commands;
using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Tests.Commands;

public sealed class InvocationTests
{
    private static async Task<(Invocation Invocation, string Output, string Errors)> ReadAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var invocation = await Invocation.ReadAsync(args, output, errors);
        return (invocation, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Help_prints_the_usage_and_asks_for_nothing_else()
    {
        var (invocation, output, _) = await ReadAsync("--help");
        invocation.Options.Should().BeNull();
        invocation.ExitCode.Should().Be(0);
        output.Should().Contain(CommandLine.Usage);
    }

    [Fact]
    public async Task A_usage_error_says_what_was_wrong_and_exits_2()
    {
        var (invocation, _, errors) = await ReadAsync("serve", "--no-such-option");
        invocation.ExitCode.Should().Be(Invocation.UsageError);
        errors.Should().Contain("--no-such-option").And.Contain("--help");
    }

    [Fact]
    public async Task A_bad_configuration_reports_every_problem_and_exits_78()
    {
        var config = Path.Combine(Path.GetTempPath(), $"wh-invocation-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """{"port": "many", "logLevel": "loud"}""");
        try
        {
            var (invocation, _, errors) = await ReadAsync("serve", "--config", config);
            invocation.ExitCode.Should().Be(Invocation.ConfigurationError);
            invocation.Options.Should().BeNull();
            errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCountGreaterThanOrEqualTo(2);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task A_good_command_line_gives_the_command_and_its_validated_options()
    {
        var (invocation, _, _) = await ReadAsync("init", "--data-dir", "/tmp/wh-somewhere", "--port", "0");
        invocation.Command!.Command.Should().Be("init");
        invocation.Options!.DataDirectory.Should().Be("/tmp/wh-somewhere");
        invocation.Options.Port.Should().Be(0);
    }
}
