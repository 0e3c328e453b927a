using System.Xml.Linq;

namespace Wheelhouse.Build.Testing;

/// <summary>
/// Sums the counters of every .trx file a test run left, so CI can print one closing line for all projects, and names
/// each failed test with its message on one line: a failure seen once on CI must say why without its .trx.
/// </summary>
public sealed record TrxSummary(int Passed, int Failed, int Skipped, IReadOnlyList<string> FailedTests)
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static TrxSummary Read(IEnumerable<string> trxFiles)
    {
        int passed = 0, failed = 0, skipped = 0;
        var failedTests = new List<string>();
        foreach (var file in trxFiles)
        {
            XDocument doc;
            try
            { doc = XDocument.Load(file); }
            catch (Exception ex) { throw new InvalidOperationException($"cannot read test results {file}: {ex.Message}", ex); }
            var counters = doc.Descendants(Ns + "Counters").SingleOrDefault()
                ?? throw new InvalidOperationException($"test results {file} have no <Counters>");
            int Count(string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
            passed += Count("passed");
            failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
            skipped += Count("notExecuted");
            failedTests.AddRange(doc.Descendants(Ns + "UnitTestResult")
                .Where(r => (string?)r.Attribute("outcome") is "Failed" or "Error" or "Timeout" or "Aborted")
                .Select(Describe));
        }
        return new TrxSummary(passed, failed, skipped, failedTests);
    }

    private static string Describe(XElement result)
    {
        var name = (string?)result.Attribute("testName") ?? "?";
        // A message may run over lines (an expected string quoted whole): one line, so the summary keeps all of it.
        var lines = ((string?)result.Descendants(Ns + "Message").FirstOrDefault() ?? "")
            .ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.Count == 0 ? name : $"{name}: {string.Join(" | ", lines)}";
    }

    /// <summary>The plain closing line CI reads.</summary>
    public string ClosingLine => Skipped > 0 ? $"{Passed} passed, {Failed} failed, {Skipped} skipped" : $"{Passed} passed, {Failed} failed";
}
