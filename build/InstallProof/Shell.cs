using System.Text;
using CliWrap;

namespace Wheelhouse.Build.InstallProof;

/// <summary>The outcome of one command: its exit code and what it printed.</summary>
public sealed record ShellResult(IReadOnlyList<string> Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command and the end of its error output unless it exited 0.</summary>
    public ShellResult EnsureSuccess(string what)
    {
        if (!Succeeded)
        {
            throw new InstallProofException($"{what}: `{Describe(Command)}` exited {ExitCode}{Tail(StandardError, StandardOutput)}");
        }

        return this;
    }

    public static string Describe(IEnumerable<string> command) =>
        string.Join(' ', command.Select(a => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? a : $"'{a.Replace("'", "'\\''", StringComparison.Ordinal)}'"));

    private static string Tail(string stderr, string stdout)
    {
        var text = (stderr.Trim().Length > 0 ? stderr : stdout).Trim();
        if (text.Length == 0)
        {
            return "";
        }

        var lines = text.Split('\n');
        return "\n" + string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 15)).Select(l => "    " + l));
    }
}

/// <summary>
/// Runs host processes with CliWrap, streaming every output line to the log as it comes (indented under the
/// step that ran it) and keeping it for checks.
/// </summary>
public sealed class Shell(TextWriter log)
{
    public TextWriter Log { get; } = log;

    public async Task<ShellResult> RunAsync(IReadOnlyList<string> command, bool echo = true, string? input = null, bool quiet = false, CancellationToken cancellation = default)
    {
        if (command.Count == 0)
        {
            throw new ArgumentException("empty command", nameof(command));
        }
        // quiet: the caller already printed a shorter form of the command (e.g. without the nsenter prefix).
        if (echo && !quiet)
        {
            Log.WriteLine($"    $ {ShellResult.Describe(command)}");
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var print = PipeTarget.ToDelegate(line => { if (echo) { Log.WriteLine($"    | {line}"); } });
        var cli = Cli.Wrap(command[0])
            .WithArguments(command.Skip(1))
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(input is null ? PipeSource.Null : PipeSource.FromString(input))
            .WithStandardOutputPipe(PipeTarget.Merge(PipeTarget.ToStringBuilder(stdout), print))
            .WithStandardErrorPipe(PipeTarget.Merge(PipeTarget.ToStringBuilder(stderr), print));
        try
        {
            var result = await cli.ExecuteAsync(cancellation);
            return new ShellResult(command, result.ExitCode, stdout.ToString(), stderr.ToString());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InstallProofException($"cannot start `{command[0]}` ({ex.Message}); is it installed? See ./build.sh prerequisites", ex);
        }
    }

    public async Task<ShellResult> CheckAsync(string what, IReadOnlyList<string> command, bool echo = true, CancellationToken cancellation = default) =>
        (await RunAsync(command, echo, cancellation: cancellation)).EnsureSuccess(what);
}
