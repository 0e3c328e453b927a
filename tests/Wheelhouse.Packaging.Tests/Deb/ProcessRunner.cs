using CliWrap;
using CliWrap.Buffered;

namespace Wheelhouse.Packaging.Tests.Deb;

internal static class ProcessRunner
{
    public static async Task<BufferedCommandResult> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var command = Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        return await command.ExecuteBufferedAsync();
    }

    public static async Task<string> RunOkAsync(string program, params string[] arguments)
    {
        var result = await RunAsync(program, arguments);
        result.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>Runs a long shell script fed on standard input (no argument-length limit).</summary>
    public static async Task<BufferedCommandResult> ShellScriptAsync(string script) =>
        await Cli.Wrap("/bin/sh").WithStandardInputPipe(PipeSource.FromString(script))
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    /// <summary>Runs a shell pipeline (for "dpkg-deb --fsys-tarfile x | tar tv"), with pipefail.</summary>
    public static Task<BufferedCommandResult> ShellAsync(string script) =>
        RunAsync("/bin/bash", ["-o", "pipefail", "-c", script]);
}
