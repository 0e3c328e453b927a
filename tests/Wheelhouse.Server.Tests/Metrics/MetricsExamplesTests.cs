using System.Text.Json;
using System.Text.RegularExpressions;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Metrics;

/// <summary>
/// The example Grafana dashboard and alert rules (docs/examples/, shipped in wheelhouse-server's examples) name only
/// metrics the server exports, so neither silently shows nothing after a rename.
/// </summary>
public sealed partial class MetricsExamplesTests
{
    private static string Example(string name) => Wheelhouse.Testing.RepositoryRoot.Combine("docs", "examples", name);

    /// <summary>Every metric family the server exports (HELP lines), histograms with their series suffixes.</summary>
    private static async Task<HashSet<string>> ExportedAsync()
    {
        var text = await ServerMetricsTests.ExportAsync(new ServerMetrics().Registry);
        var names = new HashSet<string>(StringComparer.Ordinal) { "up" };
        foreach (Match m in HelpLine().Matches(text))
        {
            var name = m.Groups[1].Value;
            names.UnionWith([name, name + "_bucket", name + "_sum", name + "_count"]);
        }
        return names;
    }

    private static IEnumerable<string> MetricNames(string expression) =>
        MetricName().Matches(expression).Select(m => m.Value).Distinct();

    [Fact]
    public async Task The_dashboard_queries_only_exported_metrics()
    {
        var exported = await ExportedAsync();
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Example("grafana-dashboard.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        expressions.Should().HaveCountGreaterThan(15);
        foreach (var expression in expressions)
        {
            MetricNames(expression).Should().NotBeEmpty().And.OnlyContain(n => exported.Contains(n), expression);
        }
        exported.Where(n => n.StartsWith("wheelhouse_", StringComparison.Ordinal) && !n.EndsWith("_bucket", StringComparison.Ordinal)
                && !n.EndsWith("_sum", StringComparison.Ordinal) && !n.EndsWith("_count", StringComparison.Ordinal) && n != "wheelhouse_build_info")
            .Should().OnlyContain(n => expressions.Any(e => e.Contains(n, StringComparison.Ordinal)), "every metric of ours has a panel");
    }

    [Fact]
    public async Task The_alert_rules_use_only_exported_metrics()
    {
        var exported = await ExportedAsync();
        var rules = await File.ReadAllTextAsync(Example("prometheus-alerts.yml"));
        var expressions = Regex.Matches(rules, @"expr: (\|\n(?:\s{10}.*\n)+|.*)").Select(m => m.Groups[1].Value).ToList();
        expressions.Should().HaveCountGreaterThan(5);
        foreach (var expression in expressions)
        {
            MetricNames(expression).Should().NotBeEmpty().And.OnlyContain(n => exported.Contains(n), expression);
        }
    }

    [Fact]
    [Integration]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var result = await Tool.RunAsync(Path.GetTempPath(), "/usr/bin/promtool", "check", "rules", Example("prometheus-alerts.yml"));
        result.ShouldSucceed();
        result.Output.Should().Contain("SUCCESS: 11 rules found");
    }

    [GeneratedRegex(@"^# HELP (\S+) ", RegexOptions.Multiline)]
    private static partial Regex HelpLine();

    /// <summary>A metric name in PromQL: ours, .NET's and the process's, and up (label names and functions are not).</summary>
    [GeneratedRegex(@"\b(?:wheelhouse|dotnet|process)_[a-z0-9_]+\b|\bup\b(?=\{)")]
    private static partial Regex MetricName();
}
