using Wheelhouse.Server.Transfer;

namespace Wheelhouse.Server.Tests.Transfer;

/// <summary>Progress of import, export, backup and restore: a bar redrawn in place on a terminal, plain lines otherwise.</summary>
public sealed class TransferProgressTests
{
    [Fact]
    public void On_a_terminal_it_draws_a_bar_in_place_and_ends_the_line_when_done()
    {
        var output = new StringWriter();
        var progress = new TransferProgress("import", 4, 4096, output, terminal: true);
        for (var i = 0; i < 4; i++)
        {
            progress.FileDone(1024);
        }
        progress.Done();
        var text = output.ToString();
        text.Should().StartWith("\r[##############################] import: 4/4 files, 4.0 KiB of 4.0 KiB, ");
        text.Should().Contain("\u001b[K").And.Contain("took ").And.EndWith(Environment.NewLine);
    }

    [Fact]
    public void Otherwise_it_writes_whole_lines_no_bar_and_no_control_characters()
    {
        var output = new StringWriter();
        var progress = new TransferProgress("export", 3, 3L << 20, output, terminal: false);
        progress.FileDone(1L << 20);
        progress.FileDone(1L << 20);
        output.ToString().Should().BeEmpty("a line is written every few seconds, not per file");
        progress.Describe().Should().StartWith("export: 2/3 files, 2.0 MiB of 3.0 MiB, ").And.Contain("left");
        progress.FileDone(1L << 20);
        progress.Done();
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().StartWith("export: 3/3 files, 3.0 MiB of 3.0 MiB, ").And.Contain("took ");
        output.ToString().Should().NotContain("\r").And.NotContain("\u001b").And.NotContain("#");
    }

    [Theory]
    [InlineData(512L, "512 B")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(5L << 20, "5.0 MiB")]
    [InlineData(3L << 30, "3.00 GiB")]
    public void Sizes_are_given_in_binary_units(long bytes, string expected) => TransferProgress.Size(bytes).Should().Be(expected);
}
