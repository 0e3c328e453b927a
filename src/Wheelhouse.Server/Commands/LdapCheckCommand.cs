using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Commands;

/// <summary><c>ldap check USER</c>: tries a directory log-in with the configured LDAP settings and says what happened.</summary>
public static class LdapCheckCommand
{
    public static async Task<int> RunAsync(ServerOptions options, string user, bool passwordFromStdin, TextWriter output, TextWriter errors)
    {
        if (options.Ldap is not { } ldap)
        {
            await errors.WriteLineAsync("wheelhouse-server: ldap check: no directory is configured (--ldap-config FILE, WHEELHOUSE_LDAP_CONFIG or ldapConfig)");
            return Invocation.ConfigurationError;
        }
        return LdapCheck.Run(ldap, user, LdapCheck.ReadPassword(passwordFromStdin), output);
    }
}
