using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Tests.Deb;

public sealed class ControlFileTests
{
    private const string Text = """
        Package: wheelhouse-server
        Version: 1:1.2.3-1
        Architecture: amd64
        Maintainer: Ops <ops@example.org>
        Depends: libc6 (>= 2.34),
         tzdata
        Description: devpi-compatible index
         A longer description.
         .
         Second paragraph.

        """;

    [Fact]
    public void Parses_fields_in_order_with_continuation_lines()
    {
        var control = ControlFile.Parse(Text);

        control.Fields.Select(f => f.Name).Should().Equal("Package", "Version", "Architecture", "Maintainer", "Depends", "Description");
        control.Package.Should().Be("wheelhouse-server");
        control["depends"].Should().Be("libc6 (>= 2.34),\n tzdata");
        control["Description"].Should().Be("devpi-compatible index\n A longer description.\n .\n Second paragraph.");
    }

    [Fact]
    public void Renders_back_to_the_same_text() =>
        ControlFile.Parse(Text).ToString().Should().Be(Text.TrimEnd('\n') + "\n");

    [Fact]
    public void With_replaces_in_place_or_inserts_after_an_anchor()
    {
        var control = ControlFile.Parse(Text);

        control.With("Installed-Size", "42", after: "Maintainer").Fields.Select(f => f.Name)
            .Should().Equal("Package", "Version", "Architecture", "Maintainer", "Installed-Size", "Depends", "Description");
        control.With("version", "2.0-1")["Version"].Should().Be("2.0-1");
        control.Without("Depends")["Depends"].Should().BeNull();
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var parse = () => ControlFile.Parse("""
            Package: Bad_Name
            Version: x1
            Version: 2
            # comment
            no colon here

            Description:
            """);

        parse.Should().Throw<FormatException>()
            .WithMessage("*comments are not allowed*")
            .WithMessage("*expected 'Field: value', got 'no colon here'*")
            .WithMessage("*blank line*")
            .WithMessage("*field Version appears twice*")
            .WithMessage("*required field Architecture is missing*")
            .WithMessage("*required field Maintainer is missing*")
            .WithMessage("*package name 'Bad_Name' is invalid*")
            .WithMessage("*version 'x1' is invalid*")
            .WithMessage("*Description needs a synopsis*");
    }

    [Fact]
    public void Builds_the_file_name_without_the_epoch() =>
        DebFileName.For(ControlFile.Parse(Text)).Should().Be("wheelhouse-server_1.2.3-1_amd64.deb");
}
