using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Hosting;

namespace Wheelhouse.Server.Commands;

/// <summary><c>init</c>: the data directory made ready without serving; root's password set to the configured one.</summary>
public static class InitCommand
{
    public static async Task<int> RunAsync(ServerOptions options, TextWriter output)
    {
        using var loggerFactory = LoggerFactory.Create(l => ServerLogging.Configure(l, options));
        var (store, change) = await DataDirectoryStartup.OpenAsync(options, new PasswordHasher(), setConfiguredRootPassword: true);
        using (store)
        {
            _ = TokenService.LoadOrCreateSecret(options.DataDirectory); // as a first start would make it: init prepares the whole data directory
            if (change is not null)
            {
                loggerFactory.CreateLogger("init").LogInformation("{Message}", change);
            }
            await output.WriteLineAsync($"wheelhouse-server: {change ?? "root user already exists; its password is unchanged"}");
        }
        return 0;
    }
}
