using System.Runtime.InteropServices;

namespace Wheelhouse.Server.Ldap;

/// <summary>
/// Sets libldap's process-wide defaults that System.DirectoryServices.Protocols does not reach on Linux, for the
/// connections opened afterwards (the server has one directory configuration):
/// <list type="bullet">
/// <item>LDAP_OPT_TIMEOUT and LDAP_OPT_NETWORK_TIMEOUT. It binds and starts TLS with libldap's synchronous calls,
/// which otherwise wait without limit: measured, a server that accepted the connection and never answered held a bind
/// for minutes. LdapConnection.Timeout only bounds the TCP connect and requests sent with a timeout.</item>
/// <item>LDAP_OPT_RESTART. Without it libldap takes a poll() or connect() interrupted by a signal (EINTR: a child
/// process exiting, any handled signal) for a server gone: measured, a log-in failed as "The LDAP server is
/// unavailable" about once in 4,000 while the process started children.</item>
/// <item>LDAP_OPT_X_TLS_CACERTFILE, then a new TLS context. It offers only the CA directory, per connection, which
/// with Debian's GnuTLS-built libldap did not make StartTLS trust the CA (ldaps:// did).</item>
/// </list>
/// </summary>
internal static class LibLdapDefaults
{
    private const int LdapOptRestart = 0x0009;
    private const int LdapOptTimeout = 0x5002;
    private const int LdapOptNetworkTimeout = 0x5005;
    private const int LdapOptTlsCaCertFile = 0x6002;
    private const int LdapOptTlsNewContext = 0x600f;
    private static readonly string[] Names = ["libldap.so.2", "libldap-2.5.so.0", "libldap-2.6.so.0", "libldap-2.4.so.2"];
    private static readonly Lock Gate = new();

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public nint Seconds;
        public nint Microseconds;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetTimeOption(nint ld, int option, ref TimeVal value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetStringOption(nint ld, int option, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetIntOption(nint ld, int option, ref int value);

    /// <summary>Sets restarting after signals, the timeouts and the trusted CAs (a PEM file); throws when libldap cannot be loaded or refuses them.</summary>
    public static void Apply(TimeSpan timeout, string caFile)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var export = Names.Select(name => NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "ldap_set_option", out var e) ? e : 0)
            .FirstOrDefault(e => e != 0);
        if (export == 0)
        {
            throw new InvalidOperationException($"libldap cannot be loaded (tried {string.Join(", ", Names)}): install Debian's libldap-2.5-0 (or libldap2)");
        }
        var value = new TimeVal { Seconds = (nint)timeout.TotalSeconds, Microseconds = (nint)(timeout.Ticks % TimeSpan.TicksPerSecond / 10) };
        var zero = 0;
        var on = 1; // a boolean option is on for any pointer but LDAP_OPT_OFF (NULL)
        lock (Gate)
        {
            var failed = Marshal.GetDelegateForFunctionPointer<SetIntOption>(export)(0, LdapOptRestart, ref on) != 0
                || Marshal.GetDelegateForFunctionPointer<SetTimeOption>(export)(0, LdapOptTimeout, ref value) != 0
                || Marshal.GetDelegateForFunctionPointer<SetTimeOption>(export)(0, LdapOptNetworkTimeout, ref value) != 0
                || Marshal.GetDelegateForFunctionPointer<SetStringOption>(export)(0, LdapOptTlsCaCertFile, caFile) != 0
                || Marshal.GetDelegateForFunctionPointer<SetIntOption>(export)(0, LdapOptTlsNewContext, ref zero) != 0;
            if (failed)
            {
                throw new InvalidOperationException($"libldap refused the restart option, the timeout or the CA file {caFile}");
            }
        }
    }
}
