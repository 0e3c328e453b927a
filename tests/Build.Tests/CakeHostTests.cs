namespace Wheelhouse.Build.Tests;

/// <summary>Runs the built build host as ./build.sh would, and checks how it treats its command line.</summary>
[Integration]
public sealed class CakeHostTests
{
    [Fact]
    public void Help_lists_targets_and_options()
    {
        var (code, output) = BuildProcess.Run("--help");
        code.Should().Be(0);
        output.Should().Contain("clean").And.Contain("build").And.Contain("--arch").And.Contain("--compression");
    }

    [Fact]
    public void Unknown_target_is_an_error()
    {
        var (code, output) = BuildProcess.Run("frobnicate");
        code.Should().NotBe(0);
        output.Should().Contain("unknown target 'frobnicate'");
    }

    [Fact]
    public void Unknown_option_is_an_error()
    {
        var (code, output) = BuildProcess.Run("build", "--colour", "red");
        code.Should().NotBe(0);
        output.Should().Contain("unknown option --colour");
    }

    [Fact]
    public void An_invalid_option_value_is_reported_in_plain_words()
    {
        var (code, output) = BuildProcess.Run("build", "--configuration", "Nope");
        code.Should().NotBe(0);
        output.Should().Contain("--configuration 'Nope'").And.NotContain("target of an invocation");
    }
}
