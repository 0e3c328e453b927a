using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Hosting;

namespace Wheelhouse.Server.Commands;

/// <summary>
/// What the command line asks for, with its configuration loaded and validated; or, for <c>--help</c>,
/// <c>--version</c>, a usage error or a bad configuration, the exit code once that is answered.
/// </summary>
public sealed record Invocation(CommandLine? Command, ServerOptions? Options, int ExitCode)
{
    /// <summary>EX_USAGE.</summary>
    public const int UsageError = 2;

    /// <summary>EX_CONFIG: systemd shows it as a configuration failure, not a crash.</summary>
    public const int ConfigurationError = 78;

    public static async Task<Invocation> ReadAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var command = CommandLine.Parse(args, out var usageError);
        if (command is null)
        {
            await errors.WriteLineAsync($"wheelhouse-server: {usageError}\nRun 'wheelhouse-server --help' for usage.");
            return new Invocation(null, null, UsageError);
        }
        if (command.Command == "help")
        {
            await output.WriteLineAsync(CommandLine.Usage);
            return new Invocation(command, null, 0);
        }
        if (command.Command == "version")
        {
            await output.WriteLineAsync(ServerVersion.Current);
            return new Invocation(command, null, 0);
        }
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var config = ConfigurationLoader.Load(command.ConfigPath, command.Overrides, environment);
        if (config.Options is not { } options)
        {
            foreach (var problem in config.Problems)
            {
                await errors.WriteLineAsync($"wheelhouse-server: configuration error: {problem}");
            }
            return new Invocation(command, null, ConfigurationError);
        }
        return new Invocation(command, options, 0);
    }
}
