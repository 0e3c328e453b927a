using System.Text;

namespace Wheelhouse.Packaging.Tests.Templates;

/// <summary>
/// Compares rendered text with a checked-in golden file. Set WHEELHOUSE_UPDATE_GOLDEN=1 to rewrite the golden
/// files from the current output (then review the git diff).
/// </summary>
internal static class Golden
{
    public const string UpdateVariable = "WHEELHOUSE_UPDATE_GOLDEN";

    public static void Verify(string name, string actual) =>
        VerifyFile(Testing.RepositoryRoot.Combine("tests", "Wheelhouse.Packaging.Tests", "Templates", "golden", name), name, actual);

    /// <summary>The same for a generated file kept elsewhere in the repository (e.g. deploy/'s templates).</summary>
    public static void VerifyFile(string path, string name, string actual)
    {
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }
        File.Exists(path).Should().BeTrue($"golden file {path} should exist; run the tests with {UpdateVariable}=1 to create it");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            Assert.Fail($"{name} differs from its golden file {path} (rerun with {UpdateVariable}=1 to accept):\n{Diff(expected, actual)}");
        }
    }

    /// <summary>A line diff small enough to read in a test log: the first differing lines with their numbers.</summary>
    private static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var report = new StringBuilder();
        var shown = 0;
        for (var i = 0; i < Math.Max(e.Length, a.Length) && shown < 20; i++)
        {
            var left = i < e.Length ? e[i] : "<end of file>";
            var right = i < a.Length ? a[i] : "<end of file>";
            if (left == right)
            {
                continue;
            }

            report.Append($"line {i + 1}:\n  - {left}\n  + {right}\n");
            shown++;
        }
        return report.ToString();
    }
}
