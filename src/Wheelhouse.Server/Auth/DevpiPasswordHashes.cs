using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// The password hashes devpi-server stores, kept as they are when its export is imported so people log in with the
/// passwords they had, and replaced by our own scheme at their first successful log-in (<see cref="PasswordHasher.NeedsRehash"/>):
/// devpi 6's argon2id in PHC form (<c>$argon2id$v=19$m=…,t=…,p=…$SALT$HASH</c>, passlib's), and the salted SHA-256
/// of devpi before 4.2 (its <c>pwsalt</c> and <c>pwhash</c>: hex SHA-256 of the salt's ASCII then the password's UTF-8),
/// which the import stores as <c>devpi-salted-sha256$SALT$HEX</c>.
/// </summary>
public static class DevpiPasswordHashes
{
    public const string SaltedSha256Prefix = "devpi-salted-sha256$";
    public const string Argon2idPrefix = "$argon2id$";

    /// <summary>Bounds on argon2 parameters a stored hash may ask for, so a hostile export cannot make a log-in cost gigabytes.</summary>
    private const int MaxMemoryKiB = 1 << 20;
    private const int MaxIterations = 64;
    private const int MaxParallelism = 64;

    public static bool IsDevpiHash(string stored) =>
        stored.StartsWith(SaltedSha256Prefix, StringComparison.Ordinal) || stored.StartsWith(Argon2idPrefix, StringComparison.Ordinal);

    /// <summary>The stored form of an old devpi user's <c>pwsalt</c> and <c>pwhash</c>.</summary>
    public static string SaltedSha256(string salt, string hexHash) => SaltedSha256Prefix + salt + "$" + hexHash.ToLowerInvariant();

    /// <summary>Whether the hash is one devpi would write (for an import to accept it); argon2id only in a form we can verify.</summary>
    public static bool IsWellFormed(string stored) => stored.StartsWith(Argon2idPrefix, StringComparison.Ordinal)
        ? ParseArgon2id(stored) is not null
        : ParseSalted(stored) is not null;

    /// <summary>Checks <paramref name="password"/> against a devpi hash; false for anything else.</summary>
    public static bool Verify(string password, string stored)
    {
        if (ParseSalted(stored) is var (salt, expected))
        {
            var actual = SHA256.HashData(Encoding.UTF8.GetBytes(password).Prepend(Encoding.ASCII.GetBytes(salt)));
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        if (ParseArgon2id(stored) is { } a)
        {
            using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
            {
                Salt = a.Salt,
                MemorySize = a.MemoryKiB,
                Iterations = a.Iterations,
                DegreeOfParallelism = a.Parallelism,
            };
            return CryptographicOperations.FixedTimeEquals(argon.GetBytes(a.Hash.Length), a.Hash);
        }
        return false;
    }

    private static byte[] Prepend(this byte[] data, byte[] prefix) => [.. prefix, .. data];

    private static (string Salt, byte[] Hash)? ParseSalted(string stored)
    {
        if (!stored.StartsWith(SaltedSha256Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = stored[SaltedSha256Prefix.Length..];
        var dollar = rest.LastIndexOf('$');
        if (dollar < 0 || rest.Length - dollar - 1 != 64 || !Ascii.IsValid(rest.AsSpan(0, dollar)))
        {
            return null;
        }
        try
        {
            return (rest[..dollar], Convert.FromHexString(rest[(dollar + 1)..]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism, byte[] Salt, byte[] Hash);

    private static Argon2Parameters? ParseArgon2id(string stored)
    {
        // $argon2id$v=19$m=102400,t=2,p=8$SALT$HASH (unpadded standard base64)
        var parts = stored.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return null;
        }
        int m = 0, t = 0, p = 0;
        foreach (var setting in parts[3].Split(','))
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !int.TryParse(setting[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }
            switch (setting[..eq])
            {
                case "m":
                    m = value;
                    break;
                case "t":
                    t = value;
                    break;
                case "p":
                    p = value;
                    break;
                default:
                    return null;
            }
        }
        if (m is < 8 or > MaxMemoryKiB || t is < 1 or > MaxIterations || p is < 1 or > MaxParallelism || m < 8 * p)
        {
            return null;
        }
        var salt = FromUnpaddedBase64(parts[4]);
        var hash = FromUnpaddedBase64(parts[5]);
        return salt is { Length: >= 8 } && hash is { Length: >= 4 } ? new Argon2Parameters(m, t, p, salt, hash) : null;
    }

    private static byte[]? FromUnpaddedBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
