namespace Wheelhouse.Build.Tests;

/// <summary>The release options are validated before any task runs, every problem in one message.</summary>
[Integration]
public sealed class BuildOptionsTests
{

    [Fact]
    public void Help_lists_the_release_targets_and_options()
    {
        var (code, output) = BuildProcess.Run("--help");

        code.Should().Be(0);
        output.Should().Contain("publish").And.Contain("deb").And.Contain("apt").And.Contain("verify")
            .And.Contain("--signing-key").And.Contain("--suite").And.Contain("--source-date-epoch").And.Contain("--version")
            .And.Contain("run").And.Contain("--client-index-url").And.Contain("--client-ca");
    }

    [Fact]
    public void Every_bad_option_is_reported_at_once_and_nothing_runs()
    {
        var (code, output) = BuildProcess.Run("packages", "--arch", "amd64,sparc", "--compression", "lz4", "--suite", "Not A Suite",
            "--version", "1.0 beta", "--source-date-epoch", "yesterday", "--configuration", "Fast", "--signing-key", "/nonexistent/key.asc",
            "--client-index-url", "ftp://pypi.example.com/simple/", "--client-ca", "/nonexistent/ca.pem");

        code.Should().NotBe(0);
        output.Should().Contain("--arch 'sparc' is not one of amd64, arm64")
            .And.Contain("--compression 'lz4' is not one of xz, zstd, gzip or none")
            .And.Contain("--suite 'Not A Suite'")
            .And.Contain("--version '1.0 beta' is not a Debian version")
            .And.Contain("source date epoch 'yesterday'")
            .And.Contain("--configuration 'Fast'")
            .And.Contain("signing key file '/nonexistent/key.asc' does not exist")
            .And.Contain("--client-index-url 'ftp://pypi.example.com/simple/' must be an http:// or https:// URL")
            .And.Contain("--client-ca '/nonexistent/ca.pem' does not exist");
        output.Should().NotContain("dotnet publish", "validation happens before any task");
    }

    [Fact]
    public void A_missing_signing_key_is_a_clear_error()
    {
        var (code, output) = BuildProcess.Run("apt", "--signing-key", "0000000000000000000000000000000000000000");

        code.Should().NotBe(0);
        output.Should().Contain("signing key").And.Contain("no secret key found");
    }
}
