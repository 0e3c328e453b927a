using System.Collections.Concurrent;

namespace Wheelhouse.Server.Auth;

/// <summary>
/// Limits failed log-ins, in memory, per user name and per client address: after <see cref="Limit"/> failures within
/// <see cref="Window"/> further attempts for that name or from that address are refused without checking the password
/// until the oldest failure leaves the window. Every log-in path asks it first and tells it the outcome: the password
/// log-in (<c>/+login</c>), credentials on any request, and a directory (LDAP) log-in, which must call
/// <see cref="RetryAfter"/> before binding and <see cref="Failed"/> or <see cref="Succeeded"/> after.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int Limit = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Bounds memory when many names or addresses fail: expired entries go first; beyond that, the oldest counters.
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>Null when a log-in may be tried now; else how long to wait (what <c>Retry-After</c> says).</summary>
    public TimeSpan? RetryAfter(string? user, string clientAddress)
    {
        var now = clock.GetUtcNow();
        var wait = new[] { Wait(UserKey(user), now), Wait(AddressKey(clientAddress), now) }.Max();
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string? user, string clientAddress)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count >= MaxTracked)
        {
            Prune(now);
        }
        foreach (var key in new[] { UserKey(user), AddressKey(clientAddress) })
        {
            if (key is null)
            {
                continue;
            }
            var queue = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
            lock (queue)
            {
                Expire(queue, now);
                queue.Enqueue(now);
                while (queue.Count > Limit)
                {
                    queue.Dequeue();
                }
            }
        }
    }

    /// <summary>A right password clears the name's count (not the address's: one known account must not reset guessing at others).</summary>
    public void Succeeded(string user) => _failures.TryRemove(UserKey(user)!, out _);

    private TimeSpan Wait(string? key, DateTimeOffset now)
    {
        if (key is null || !_failures.TryGetValue(key, out var queue))
        {
            return TimeSpan.Zero;
        }
        lock (queue)
        {
            Expire(queue, now);
            return queue.Count >= Limit ? queue.Peek() + Window - now : TimeSpan.Zero;
        }
    }

    private static void Expire(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.Count > 0 && queue.Peek() + Window <= now)
        {
            queue.Dequeue();
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, queue) in _failures)
        {
            bool empty;
            lock (queue)
            {
                Expire(queue, now);
                empty = queue.Count == 0;
            }
            if (empty)
            {
                _failures.TryRemove(key, out _);
            }
        }
        if (_failures.Count >= MaxTracked)
        {
            _failures.Clear(); // a flood of distinct names and addresses: forget rather than grow without bound
        }
    }

    private static string? UserKey(string? user) => string.IsNullOrEmpty(user) ? null : "user:" + user;

    private static string AddressKey(string address) => "address:" + address;
}
