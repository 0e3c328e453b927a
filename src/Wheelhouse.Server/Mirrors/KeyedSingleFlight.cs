using System.Collections.Concurrent;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// Coalesces concurrent work by key: while a piece of work for a key runs, later callers for the same key wait for
/// its result instead of starting their own (one upstream request for many simultaneous pip runs). The work runs on
/// <paramref name="lifetime"/>, not on any caller's token, so one impatient client cannot cancel it for the others.
/// </summary>
public sealed class KeyedSingleFlight<TKey, TResult>(IEqualityComparer<TKey>? comparer = null, CancellationToken lifetime = default)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TResult>>> _running = new(comparer);

    /// <summary>Keys with work in flight (for tests and diagnostics).</summary>
    public int InFlight => _running.Count;

    /// <returns>The result, and whether this caller started the work (false: it joined work already running).</returns>
    public async Task<(TResult Result, bool Started)> RunAsync(TKey key, Func<CancellationToken, Task<TResult>> work, CancellationToken cancellationToken = default)
    {
        Lazy<Task<TResult>>? mine = null;
        mine = new Lazy<Task<TResult>>(() => RunAndForget(key, mine!, work), LazyThreadSafetyMode.ExecutionAndPublication);
        var current = _running.GetOrAdd(key, mine);
        var result = await current.Value.WaitAsync(cancellationToken);
        return (result, ReferenceEquals(current, mine));
    }

    private async Task<TResult> RunAndForget(TKey key, Lazy<Task<TResult>> self, Func<CancellationToken, Task<TResult>> work)
    {
        try
        {
            await Task.Yield(); // never run the work inline inside GetOrAdd's caller
            return await work(lifetime);
        }
        finally
        {
            // Only completed work leaves; the next caller after this starts fresh (a failure is not cached here).
            _running.TryRemove(new KeyValuePair<TKey, Lazy<Task<TResult>>>(key, self));
        }
    }
}
