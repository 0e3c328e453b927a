using System.Diagnostics;

namespace Wheelhouse.Build.Tests;

/// <summary>Runs the built build host as ./build.sh would, and checks how it treats its command line.</summary>
public sealed class CommandLineTests
{
    private static (int Code, string Output) RunBuild(params string[] args)
    {
        var dll = typeof(BuildContext).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = global::Wheelhouse.Testing.RepositoryRoot.Path };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void Help_lists_targets_and_options()
    {
        var (code, output) = RunBuild("--help");
        code.Should().Be(0);
        output.Should().Contain("clean").And.Contain("build").And.Contain("--arch").And.Contain("--compression");
    }

    [Fact]
    public void Unknown_target_is_an_error()
    {
        var (code, output) = RunBuild("frobnicate");
        code.Should().NotBe(0);
        output.Should().Contain("unknown target 'frobnicate'");
    }

    [Fact]
    public void Unknown_option_is_an_error()
    {
        var (code, output) = RunBuild("build", "--colour", "red");
        code.Should().NotBe(0);
        output.Should().Contain("unknown option --colour");
    }

    [Fact]
    public void An_invalid_option_value_is_reported_in_plain_words()
    {
        var (code, output) = RunBuild("build", "--configuration", "Nope");
        code.Should().NotBe(0);
        output.Should().Contain("--configuration 'Nope'").And.NotContain("target of an invocation");
    }
}
