using System.Text.RegularExpressions;
using Wheelhouse.Server.Configuration;

namespace Wheelhouse.Server.Tests.Configuration;

/// <summary>The usage text is the one source: the man page and the README name every command and option it lists.</summary>
public sealed partial class UsageDocumentationTests
{
    public static TheoryData<string> Commands() => new(UsageCommands());

    public static TheoryData<string> Options() => new(OptionPattern().Matches(CommandLine.Usage).Select(m => m.Value).Distinct());

    [Fact]
    public void The_usage_is_read_as_a_reader_sees_it()
    {
        UsageCommands().Should().Contain(["serve", "init", "layout apply", "version", "help"]);
        OptionPattern().Matches(CommandLine.Usage).Select(m => m.Value).Should().Contain(["--config", "--data-dir", "--dry-run", "-h", "--help", "--version"]);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    [MemberData(nameof(Options))]
    public void The_man_page_names_it(string word) =>
        Names(ManPageText(), word).Should().BeTrue($"wheelhouse-server.1 must document '{word}', as --help does");

    [Theory]
    [MemberData(nameof(Commands))]
    [MemberData(nameof(Options))]
    public void The_readme_names_it(string word) =>
        Names(File.ReadAllText(RepositoryRoot.Combine("README.md")), word).Should().BeTrue($"the README must document '{word}', as --help does");

    [Fact]
    public void Layout_apply_is_not_said_to_need_a_stopped_server() =>
        CommandLine.Usage.Should().NotContain("stopped", "a running server takes a layout in on its next request");

    /// <summary>True when <paramref name="word"/> stands alone in <paramref name="text"/> (not "serve" inside "server").</summary>
    private static bool Names(string text, string word) => Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(word)}(?![\w-])");

    /// <summary>The first words of each entry under "Commands:", up to its arguments (upper case or bracketed).</summary>
    private static List<string> UsageCommands()
    {
        var block = CommandLine.Usage.Split("Commands:")[1].Split("\n\n")[0];
        return block.Split('\n')
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Trim().Split(' ').TakeWhile(w => w.Length > 0 && char.IsLower(w[0]))))
            .ToList();
    }

    /// <summary>The man page's text as a reader sees it: roff requests dropped, <c>\-</c> unescaped, lines joined.</summary>
    private static string ManPageText()
    {
        var source = File.ReadAllText(RepositoryRoot.Combine("debian-templates", "wheelhouse-server", "wheelhouse-server.1.sbn"));
        var lines = source.Split('\n').Select(l => RoffRequest().Replace(l, "").Replace("\\-", "-").Replace("\"", ""));
        return string.Join(' ', lines);
    }

    [GeneratedRegex(@"(?<![\w-])--?[a-z][a-z-]*")]
    private static partial Regex OptionPattern();

    [GeneratedRegex(@"^\.[A-Z]+\s?")]
    private static partial Regex RoffRequest();
}
