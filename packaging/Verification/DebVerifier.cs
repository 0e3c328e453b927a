using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Wheelhouse.Packaging.Verification;

/// <summary>What dpkg-deb and lintian say about one .deb.</summary>
/// <param name="Problems">Lintian's E: and W: lines, and any tool failure; empty means the package passed.</param>
public sealed record DebVerification(string DebPath, string Info, string Contents, string LintianOutput, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>Checks a .deb with Debian's own tools: dpkg-deb must read it, lintian --pedantic must report no error or warning.</summary>
public static class DebVerifier
{
    public static async Task<DebVerification> VerifyAsync(string debPath, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var info = await RunAsync("dpkg-deb", ["--info", debPath], problems, cancellationToken);
        var contents = await RunAsync("dpkg-deb", ["--contents", debPath], problems, cancellationToken);
        // lintian exits non-zero on errors; its own output is what decides, so E:/W: lines are collected either way.
        var lintianProblems = new List<string>();
        var lintian = await RunAsync("lintian", ["--pedantic", "--display-info", "--tag-display-limit", "0", debPath], lintianProblems, cancellationToken, okExitCodes: 1);
        problems.AddRange(lintianProblems);
        problems.AddRange(lintian.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("W: ", StringComparison.Ordinal)));
        return new DebVerification(debPath, info, contents, lintian, problems);
    }

    private static async Task<string> RunAsync(string tool, IReadOnlyList<string> arguments, List<string> problems, CancellationToken cancellationToken, int okExitCodes = 0)
    {
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(tool).WithArguments(arguments).WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run {tool} ({ex.Message}); install it: apt-get install {(tool == "lintian" ? "lintian" : "dpkg")}", ex);
        }
        // lintian exits 1 when it found tags; only exit codes above that mean the tool itself failed.
        if (result.ExitCode > okExitCodes)
        {
            problems.Add($"{tool} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }

        return result.StandardOutput + result.StandardError;
    }
}
