using System.Globalization;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// The cache rules of a mirror index, as pure functions: a page younger than <c>mirror_cache_expiry</c> is served as
/// is; an older one is refetched; when the refetch fails in a way a cached copy can stand in for, the old page is
/// served with a <c>Warning: 111</c> header; with no cached copy the answer is a 502 that says what the upstream did.
/// </summary>
public static class MirrorCachePolicy
{
    public static bool IsFresh(MirrorCachedPage? cached, DateTimeOffset now, int expirySeconds) =>
        cached is not null && IsFresh(cached.FetchedAt, now, expirySeconds);

    /// <summary>Whether an answer fetched at <paramref name="fetchedAt"/> still stands (a clock set back makes it old).</summary>
    public static bool IsFresh(DateTimeOffset fetchedAt, DateTimeOffset now, int expirySeconds) =>
        now >= fetchedAt && now - fetchedAt < TimeSpan.FromSeconds(expirySeconds);

    /// <summary>Decides what to serve after asking the upstream; the caller stores <see cref="MirrorPageAnswer.Page"/> when it is not stale and drops the cache on <see cref="MirrorPageAnswer.NotFound"/>.</summary>
    public static MirrorPageAnswer AfterFetch(
        string mirrorName, string project, MirrorCachedPage? cached, UpstreamResult<UpstreamProjectPage> result, DateTimeOffset now) => result switch
        {
            UpstreamResult<UpstreamProjectPage>.Success s => new MirrorPageAnswer.Page(s.Value, now, null),
            UpstreamResult<UpstreamProjectPage>.NotFound n => new MirrorPageAnswer.NotFound($"mirror {mirrorName}: {n.Message}"),
            UpstreamResult<UpstreamProjectPage>.Failed { Failure: var f } when f.IsTransient && cached is not null =>
                new MirrorPageAnswer.Page(cached.Page, cached.FetchedAt, StaleWarning(mirrorName, f, cached.FetchedAt, now)),
            UpstreamResult<UpstreamProjectPage>.Failed { Failure: var f } =>
                new MirrorPageAnswer.Unavailable($"mirror {mirrorName} cannot serve {project}: {f.Message}; there is no cached copy to fall back on"),
            _ => throw new InvalidOperationException($"unknown upstream result {result.GetType().Name}"),
        };

    /// <summary>The 502 message for a file that was never fetched and cannot be fetched now.</summary>
    public static string FileUnavailable(string mirrorName, string filename, UpstreamFailure failure) => failure.Kind == UpstreamFailureKind.HashMismatch
        ? $"mirror {mirrorName} cannot serve {filename}: {failure.Message}"
        : $"mirror {mirrorName} cannot serve {filename}: {failure.Message}; the file was never fetched, so there is no cached copy";

    /// <summary>RFC 7234 warn-code 110 ("Response is Stale"): the upstream is slow, the refresh goes on in the background.</summary>
    public static string SlowWarning(string mirrorName, TimeSpan budget, DateTimeOffset fetchedAt, DateTimeOffset now) =>
        Warning("110", $"mirror {mirrorName}: upstream did not answer within {budget.TotalSeconds:0.###} s; serving the page fetched at "
            + $"{Timestamp(fetchedAt)} ({Age(fetchedAt, now)} s old) while it is refreshed");

    /// <summary>RFC 7234 warn-code 111 ("Revalidation Failed"), with the age of what is served.</summary>
    public static string StaleWarning(string mirrorName, UpstreamFailure failure, DateTimeOffset fetchedAt, DateTimeOffset now) =>
        Warning("111", $"mirror {mirrorName}: upstream failed ({failure.Message}); serving the page fetched at "
            + $"{Timestamp(fetchedAt)} ({Age(fetchedAt, now)} s old)");

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static long Age(DateTimeOffset fetchedAt, DateTimeOffset now) => (long)Math.Max(0, (now - fetchedAt).TotalSeconds);

    private static string Warning(string code, string text)
    {
        // Header values must be visible ASCII: anything else (an OS error message in another language) becomes '?'.
        text = new string(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return $"{code} wheelhouse \"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }
}
