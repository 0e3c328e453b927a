using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// PBKDF2-HMAC-SHA256 password hashes stored as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c>, so the iteration count can
/// be raised later without invalidating old hashes. A successful check is remembered for a few minutes (keyed by a
/// digest of user, password and stored hash) because twine sends the password with every request and one check costs
/// a deliberate ~0.3 s. Hashes of users imported from devpi (<see cref="DevpiPasswordHashes"/>) verify too, until the
/// first successful log-in replaces them (<see cref="NeedsRehash"/>).
/// </summary>
public sealed class PasswordHasher
{
    public const int DefaultIterations = 600_000;
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(5);
    private readonly int _iterations;
    private readonly ConcurrentDictionary<string, DateTime> _recent = new(StringComparer.Ordinal);

    public PasswordHasher(int iterations = DefaultIterations) => _iterations = iterations;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, _iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public bool Verify(string user, string password, string stored)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + password + "\0" + stored)));
        if (_recent.TryGetValue(key, out var until) && until > DateTime.UtcNow)
        {
            return true;
        }
        if (DevpiPasswordHashes.IsDevpiHash(stored))
        {
            return DevpiPasswordHashes.Verify(password, stored) && Remember(key);
        }
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256"
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return false;
        }
        return Remember(key);
    }

    /// <summary>Whether a hash that just verified should be replaced by <see cref="Hash"/>: one of devpi's, or ours with fewer iterations.</summary>
    public bool NeedsRehash(string stored)
    {
        var parts = stored.Split('$');
        return parts.Length != 4 || parts[0] != "pbkdf2-sha256"
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < _iterations;
    }

    private bool Remember(string key)
    {
        if (_recent.Count > 10_000)
        {
            _recent.Clear();
        }
        _recent[key] = DateTime.UtcNow + RememberFor;
        return true;
    }
}
