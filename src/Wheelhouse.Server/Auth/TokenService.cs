using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// Login tokens: <c>user|expiry|fingerprint</c> signed with HMAC-SHA256 under a server secret kept in the data
/// directory. The fingerprint of the user's password hash makes a password change revoke older tokens.
/// </summary>
public sealed class TokenService
{
    private readonly byte[] _secret;
    private readonly TimeProvider _time;

    public TokenService(byte[] secret, TimeSpan lifetime, TimeProvider time)
    {
        _secret = secret;
        Lifetime = lifetime;
        _time = time;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>Reads the secret from <c>&lt;data&gt;/.secret</c>, creating it (mode 0600) on first start.</summary>
    public static byte[] LoadOrCreateSecret(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, ".secret");
        if (Landed(path) is { } existing)
        {
            return existing;
        }
        // Several nodes may share the data directory and start at once: the first secret to land is everyone's, so a
        // token one node issues is accepted by the others. One creator at a time (an exclusive lock on a file beside
        // it, which holds across processes and NFS), and a secret is written aside and renamed in, so it is never read
        // half written.
        using (LockBeside(path))
        {
            if (Landed(path) is { } landed)
            {
                return landed;
            }
            var secret = RandomNumberGenerator.GetBytes(32);
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            SecretFile.Write(temp, secret);
            File.Move(temp, path, overwrite: true); // a short (damaged) secret is replaced
            return secret;
        }
    }

    /// <summary>The secret at <paramref name="path"/>, unless it is missing or short (damaged).</summary>
    private static byte[]? Landed(string path) =>
        File.Exists(path) && File.ReadAllBytes(path) is { Length: >= 32 } secret ? secret : null;

    private static FileStream LockBeside(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <param name="groups">A directory user's groups, carried in the token (as devpi-server does) so that requests
    /// with it need no directory round trip, and keep working while the directory is down.</param>
    public string Issue(string user, string passwordHash, IReadOnlyList<string>? groups = null)
    {
        var expiry = _time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var carried = groups is null ? "" : "|" + string.Join(GroupSeparator, groups);
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{user}|{expiry}|{Fingerprint(passwordHash)}{carried}"));
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(_secret, payload));
    }

    /// <summary>True when <paramref name="token"/> was issued to <paramref name="user"/>, is unexpired and the password is unchanged.</summary>
    public bool Validate(string user, string passwordHash, string token) => Validate(user, passwordHash, token, out var groups) && groups is null;

    /// <summary>As <see cref="Validate(string, string, string)"/>, also for tokens carrying groups (null when it carries none).</summary>
    public bool Validate(string user, string passwordHash, string token, out IReadOnlyList<string>? groups)
    {
        groups = null;
        if (Signed(token) is not { } payload)
        {
            return false;
        }
        var parts = Encoding.UTF8.GetString(payload).Split('|', 4);
        if (parts.Length == 4)
        {
            groups = parts[3].Length == 0 ? [] : parts[3].Split(GroupSeparator);
        }
        return parts.Length >= 3 && parts[0] == user
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)
            && expiry > _time.GetUtcNow().ToUnixTimeSeconds()
            && parts[2] == Fingerprint(passwordHash);
    }

    /// <summary>True for a token this server signed, valid or not (expired, revoked): sending one is no password guess.</summary>
    public bool IsSigned(string token) => Signed(token) is not null;

    private byte[]? Signed(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }
        byte[] payload, signature;
        try
        {
            payload = FromBase64Url(token[..dot]);
            signature = FromBase64Url(token[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_secret, payload), signature) ? payload : null;
    }

    private const char GroupSeparator = '\u001f';

    private static string Fingerprint(string passwordHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)))[..16];

    private static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t + new string('=', (4 - t.Length % 4) % 4));
    }
}
