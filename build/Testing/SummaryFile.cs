namespace Wheelhouse.Build.Testing;

/// <summary>
/// artifacts/test-results/&lt;name&gt;.summary, which .ci/run reads: one line per failure ("failed: ..."), then the
/// closing line, last. CI shows only the end of a long log, so the names of what failed must reach its last lines.
/// </summary>
public static class SummaryFile
{
    /// <summary>The longest failure line kept: a test's name and its message, or the first line of a proof step's message.</summary>
    public const int MaxFailureLength = 500;

    public static string PathOf(string testResults, string name) => Path.Combine(testResults, name + ".summary");

    public static void Write(string testResults, string name, string closingLine, IEnumerable<string> failures)
    {
        Directory.CreateDirectory(testResults);
        var lines = failures.Select(f => "failed: " + Shorten(f)).Append(closingLine);
        File.WriteAllText(PathOf(testResults, name), string.Join('\n', lines) + "\n");
    }

    private static string Shorten(string failure)
    {
        var line = failure.ReplaceLineEndings("\n").Split('\n')[0];
        return line.Length <= MaxFailureLength ? line : line[..MaxFailureLength] + "...";
    }
}
