using System.DirectoryServices.Protocols;
using System.Net;

namespace Wheelhouse.Server.Ldap;

/// <summary>
/// Opens a bound connection to the first server of the pool that answers, secured as configured. libldap validates
/// certificates (TLS_REQCERT demand) and checks the host name against them; the CAs trusted are the configured CA
/// file, else the system's (see <see cref="LibLdapDefaults"/>).
/// </summary>
public sealed class LdapConnector : IDisposable
{
    private readonly LdapSettings _settings;
    private readonly string? _bundle;

    /// <summary>Debian's bundle of the system's CAs (ca-certificates), libldap's default there.</summary>
    public const string SystemCaFile = "/etc/ssl/certs/ca-certificates.crt";

    public LdapConnector(LdapSettings settings)
    {
        _settings = settings;
        var caFiles = settings.Servers.Select(s => s.CaFile).Distinct(StringComparer.Ordinal).ToList();
        var trusted = caFiles.Count == 1 ? caFiles[0] ?? SystemCaFile : null;
        if (trusted is null)
        {
            // Servers trusting different CAs: libldap takes one CA file per process, so it trusts them all.
            _bundle = Path.Combine(System.IO.Directory.CreateTempSubdirectory("wheelhouse-ldap-ca-").FullName, "bundle.pem");
            File.WriteAllText(_bundle, string.Concat(caFiles.Select(f => File.ReadAllText(f ?? SystemCaFile) + "\n")));
            trusted = _bundle;
        }
        LibLdapDefaults.Apply(settings.Timeout, trusted);
    }

    /// <summary>
    /// A connection bound as <paramref name="credential"/> (null: anonymous) on the first server that can be reached,
    /// or null with every server's failure in <paramref name="unreachable"/>. An invalid credential is thrown as the
    /// <see cref="LdapException"/> it is: the next server would refuse it too.
    /// </summary>
    public LdapConnection? Connect(NetworkCredential? credential, out LdapServer? server, out string unreachable)
    {
        var failures = new List<string>();
        foreach (var candidate in _settings.Servers)
        {
            var connection = Open(candidate);
            try
            {
                if (candidate.StartTls)
                {
                    // S.DS.P connects on the first bind; StartTLS needs the connection open, so an anonymous bind opens it
                    // (nothing secret is sent before TLS) and the real bind follows over TLS.
                    connection.Bind(new NetworkCredential());
                    connection.SessionOptions.StartTransportLayerSecurity(null);
                }
                connection.Bind(credential ?? new NetworkCredential());
                server = candidate;
                unreachable = "";
                return connection;
            }
            catch (LdapException e) when (e.ErrorCode == LdapErrors.InvalidCredentials)
            {
                connection.Dispose();
                throw;
            }
            catch (Exception e) when (e is LdapException or DirectoryOperationException or TlsOperationException)
            {
                connection.Dispose();
                failures.Add($"{candidate.Url}: {Describe(e)}");
            }
        }
        server = null;
        unreachable = string.Join("; ", failures);
        return null;
    }

    /// <summary>Binds an open connection again (the user after the search account, or back); false on invalid credentials.</summary>
    public static bool Rebind(LdapConnection connection, NetworkCredential credential)
    {
        try
        {
            connection.Bind(credential);
            return true;
        }
        catch (LdapException e) when (e.ErrorCode == LdapErrors.InvalidCredentials)
        {
            return false;
        }
    }

    public static string Describe(Exception e) => e switch
    {
        LdapException l when l.ErrorCode == LdapErrors.Timeout => "timed out",
        LdapException l when l.ErrorCode is LdapErrors.ServerDown or LdapErrors.ConnectError => $"cannot be reached or its TLS certificate is not trusted ({l.Message.TrimEnd('.')})",
        LdapException l => $"{l.Message.TrimEnd('.')} (LDAP error {l.ErrorCode}{(string.IsNullOrEmpty(l.ServerErrorMessage) ? "" : ": " + l.ServerErrorMessage)})",
        _ => e.Message,
    };

    private LdapConnection Open(LdapServer server)
    {
        var connection = new LdapConnection(new LdapDirectoryIdentifier(server.Url.Host, server.Port, false, false))
        {
            AuthType = AuthType.Basic,
            Timeout = _settings.Timeout,
            AutoBind = false,
        };
        var options = connection.SessionOptions;
        options.ProtocolVersion = 3;
        options.ReferralChasing = _settings.Referrals ? ReferralChasingOptions.All : ReferralChasingOptions.None;
        if (server.Ldaps)
        {
            options.SecureSocketLayer = true;
        }
        return connection;
    }

    public void Dispose()
    {
        if (_bundle is not null)
        {
            System.IO.Directory.Delete(Path.GetDirectoryName(_bundle)!, recursive: true);
        }
    }
}

/// <summary>The result codes of RFC 4511 and libldap's client-side ones that log-in tells apart.</summary>
public static class LdapErrors
{
    public const int InvalidCredentials = 49;
    public const int ServerDown = 81;
    public const int Timeout = 85;
    public const int ConnectError = 91;
    public const int NoSuchObject = 32;
}
