using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Server.Ldap;

/// <summary>
/// Remembers successful directory log-ins (and their groups) for <see cref="LdapSettings.CacheLifetime"/>, at most
/// <see cref="LdapSettings.CacheSize"/> users, so pip's and twine's Basic auth on every request costs one HMAC
/// instead of a round trip. The password is kept only as an HMAC under a key that lives in this process; refusals and
/// outages are never remembered, so the failed-login limit sees every wrong password.
/// </summary>
public sealed class CachedDirectoryLogin(IDirectoryLogin inner, LdapSettings settings, TimeProvider time) : IDirectoryLogin
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(byte[] Verifier, DirectoryAnswer Answer, DateTimeOffset Expires);

    public bool Enabled => inner.Enabled;

    public int Count => _entries.Count;

    public DirectoryAnswer Authenticate(string user, string password)
    {
        if (password.Length == 0)
        {
            return DirectoryAnswer.Refused;
        }
        var verifier = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(user + "\0" + password));
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(user, out var entry) && entry.Expires > now && CryptographicOperations.FixedTimeEquals(entry.Verifier, verifier))
        {
            return entry.Answer;
        }
        var answer = inner.Authenticate(user, password);
        if (answer.Kind == DirectoryAnswerKind.Accepted && settings.CacheLifetime > TimeSpan.Zero)
        {
            MakeRoom(now);
            _entries[user] = new Entry(verifier, answer, now + settings.CacheLifetime);
        }
        return answer;
    }

    public DirectoryAnswer Find(string user) => inner.Find(user);

    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < settings.CacheSize)
        {
            return;
        }
        foreach (var (user, entry) in _entries)
        {
            if (entry.Expires <= now)
            {
                _entries.TryRemove(user, out _);
            }
        }
        // Still full of live entries: drop those closest to expiry, a tenth at a time, so the bound holds.
        foreach (var user in _entries.OrderBy(e => e.Value.Expires).Take(Math.Max(1, _entries.Count - settings.CacheSize + settings.CacheSize / 10)).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(user, out _);
        }
    }
}
