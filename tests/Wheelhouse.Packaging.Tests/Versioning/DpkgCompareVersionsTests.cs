using System.Text;
using Wheelhouse.Packaging.Tests.Deb;
using Wheelhouse.Packaging.Versioning;

namespace Wheelhouse.Packaging.Tests.Versioning;

/// <summary>Our ordering against the real `dpkg --compare-versions` (Debian package dpkg).</summary>
[Integration]
public sealed class DpkgCompareVersionsTests
{
    [Fact]
    public async Task Comparisons_agree_with_dpkg_on_a_large_generated_set()
    {
        var versions = GeneratedVersions().Distinct().ToList();
        var random = new Random(20261128);
        var pairs = Enumerable.Range(0, 1500)
            .Select(_ => (versions[random.Next(versions.Count)], versions[random.Next(versions.Count)]))
            .ToList();

        // One shell for all comparisons: spawning dpkg 1500 times from .NET is the slow part otherwise.
        var script = new StringBuilder();
        foreach (var (a, b) in pairs)
        {
            script.Append("if dpkg --compare-versions '").Append(a).Append("' lt '").Append(b).Append("'; then echo lt; ")
                .Append("elif dpkg --compare-versions '").Append(a).Append("' eq '").Append(b).Append("'; then echo eq; else echo gt; fi\n");
        }

        var result = await ProcessRunner.ShellScriptAsync(script.ToString());
        result.ExitCode.Should().Be(0, result.StandardError);
        var answers = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        answers.Should().HaveCount(pairs.Count);

        var disagreements = pairs.Zip(answers)
            .Select(p => (p.First.Item1, p.First.Item2, Dpkg: p.Second, Ours: Ours(p.First.Item1, p.First.Item2)))
            .Where(p => p.Dpkg != p.Ours)
            .Select(p => $"{p.Item1} vs {p.Item2}: dpkg {p.Dpkg}, ours {p.Ours}")
            .ToList();
        disagreements.Should().BeEmpty();
        answers.Should().Contain("lt").And.Contain("gt").And.Contain("eq");
    }

    [Fact]
    public async Task Git_versions_sort_as_dpkg_sorts_them()
    {
        string[] describes =
        [
            "v0.1.0-0-g1111111", "v0.1.0-1-g2222222", "v0.1.0-9-g3333333", "v0.1.0-10-g0000000", "v0.1.1-rc.1-0-g4444444",
            "v0.1.1-rc.1-2-g5555555", "v0.1.1-rc.2-0-g6666666", "v0.1.1-0-g7777777", "v0.2.0-0-g8888888", "v1.0.0-0-g9999999",
            "v1.0.0-100-gaaaaaaa", "v10.0.0-0-gbbbbbbb",
        ];
        var versions = describes.Select(GitVersion.FromDescribe).Prepend(GitVersion.Untagged(7, "ccccccc")).Select(v => v.ToString()).ToList();

        var sorted = await ProcessRunner.RunOkAsync("/bin/sh", "-c",
            string.Join(" && ", versions.Zip(versions.Skip(1)).Select(p => $"dpkg --compare-versions '{p.First}' lt '{p.Second}'")) + " && echo ordered");

        sorted.Trim().Should().Be("ordered");
        versions.Select(DebianVersion.Parse).Should().BeInAscendingOrder();
    }

    private static string Ours(string a, string b)
    {
        var order = DebianVersion.Parse(a).CompareTo(DebianVersion.Parse(b));
        return order < 0 ? "lt" : order == 0 ? "eq" : "gt";
    }

    private static IEnumerable<string> GeneratedVersions()
    {
        var random = new Random(42);
        string[] pieces = ["0", "1", "01", "9", "10", "2", ".", "~", "~~", "+", "-", "a", "b", "z", "A", "Z", "rc", "dev", "+b1", "~rc1", ".0", "00"];
        for (var i = 0; i < 600; i++)
        {
            var upstream = new StringBuilder(random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (var n = random.Next(5); n > 0; n--)
            {
                upstream.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = upstream.ToString().TrimEnd('-');
            var revision = random.Next(3) switch
            {
                0 => "",
                1 => "-" + random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "-" + random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture) + pieces[random.Next(pieces.Length)].Replace("-", "", StringComparison.Ordinal),
            };
            var epoch = random.Next(6) == 0 ? $"{random.Next(3)}:" : "";
            var candidate = epoch + text + revision;
            if (candidate.EndsWith('-'))
            {
                continue;
            }

            if (DebianVersion.TryParse(candidate, out _, out _))
            {
                yield return candidate;
            }
        }
    }
}
