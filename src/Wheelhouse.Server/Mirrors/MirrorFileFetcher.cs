using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// Fetches one file from an upstream: streams it to a temp file while hashing (and, for the first caller, to its
/// client at the same time), checks the hash the index page announced, and only then hands the file to the
/// <see cref="IMirrorFileSink"/>. A mismatch, a truncated or oversized download is never committed (the pending file
/// is disposed, which deletes it). Concurrent requests for the same file URL share one download. A hash mismatch is
/// remembered for <see cref="MirrorHttpOptions.HashMismatchMemory"/>: meanwhile the file is answered with that failure.
/// </summary>
public sealed class MirrorFileFetcher(UpstreamSimpleClient client, TimeProvider clock, ILogger<MirrorFileFetcher> logger)
{
    private readonly KeyedSingleFlight<string, UpstreamResult<MirrorFileReceipt>> _downloads = new(StringComparer.Ordinal);
    // Keyed by URL and the hashes announced for it: a page that announces other hashes gets a fresh try.
    private readonly ConcurrentDictionary<string, (UpstreamFailure Failure, DateTimeOffset Until)> _mismatches = new(StringComparer.Ordinal);

    /// <summary>Downloads in flight (for tests and diagnostics).</summary>
    public int InFlight => _downloads.InFlight;

    /// <param name="clientStream">
    /// Optional: the response body of the client that asked. If its write fails (the client went away) the download
    /// carries on for the cache. Once bytes were written and the fetch then fails, the caller must abort the client
    /// connection (the client got a truncated file that its own hash check rejects).
    /// </param>
    /// <param name="returnWhenSent">
    /// For an HTTP client: return as soon as <paramref name="clientStream"/> has the whole hash-checked file, so the
    /// response ends (and the client's next request starts) while the file is made durable and committed. False: return
    /// once it is stored.
    /// </param>
    public async Task<UpstreamResult<MirrorFileReceipt>> FetchAsync(
        MirrorUrl mirror, UpstreamLink link, IMirrorFileSink sink, Stream? clientStream, CancellationToken cancellationToken, bool returnWhenSent = false)
    {
        var key = link.Url.AbsoluteUri + "#" + string.Join(',', link.Hashes.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}"));
        if (_mismatches.TryGetValue(key, out var known))
        {
            if (clock.GetUtcNow() < known.Until)
            {
                return new UpstreamResult<MirrorFileReceipt>.Failed(known.Failure with
                {
                    Message = $"{known.Failure.Message} (at {known.Until - client.Options.HashMismatchMemory:HH:mm:ss} UTC; not asked again before {known.Until:HH:mm:ss} UTC)",
                });
            }
            _mismatches.TryRemove(KeyValuePair.Create(key, known));
        }
        // Set by this caller's own download once the client has every verified byte: it need not wait for the commit.
        var sent = clientStream is null || !returnWhenSent ? null : new TaskCompletionSource<MirrorFileReceipt>(TaskCreationOptions.RunContinuationsAsynchronously);
        var download = _downloads.RunAsync(link.Url.AbsoluteUri, token => DownloadAsync(mirror, link, sink, clientStream, sent, token), cancellationToken);
        if (sent is not null && await Task.WhenAny(download, sent.Task) == sent.Task && !download.IsCompleted)
        {
            _ = download.ContinueWith(t => logger.LogError(t.Exception, "{File} was sent to its client but could not be stored", link.Filename),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return new UpstreamResult<MirrorFileReceipt>.Success(await sent.Task);
        }
        if (!download.IsCompleted)
        {
            sink.Hurry(); // this caller waits for the store, not only for the bytes
        }
        var (result, started) = await download;
        if (result is UpstreamResult<MirrorFileReceipt>.Failed { Failure: { Kind: UpstreamFailureKind.HashMismatch } failure }
            && client.Options.HashMismatchMemory > TimeSpan.Zero)
        {
            _mismatches[key] = (failure, clock.GetUtcNow() + client.Options.HashMismatchMemory);
        }
        return started || result is not UpstreamResult<MirrorFileReceipt>.Success { Value: var receipt }
            ? result
            : new UpstreamResult<MirrorFileReceipt>.Success(receipt with { StreamedToCaller = false });
    }

    /// <param name="sent">
    /// Completed once the client has the whole file, hash-checked, and before the file is made durable and committed:
    /// the client's response can end while the store catches up (the download stays in flight until it has, so requests
    /// for the file meanwhile wait for it). The last piece of the file is held back until the hash matched, so a
    /// client never receives a complete file with the wrong content.
    /// </param>
    private async Task<UpstreamResult<MirrorFileReceipt>> DownloadAsync(
        MirrorUrl mirror, UpstreamLink link, IMirrorFileSink sink, Stream? clientStream, TaskCompletionSource<MirrorFileReceipt>? sent,
        CancellationToken cancellationToken)
    {
        var options = client.Options;
        var opened = await client.OpenFileAsync(mirror, link.Url, cancellationToken);
        if (opened is not UpstreamResult<HttpResponseMessage>.Success { Value: var response })
        {
            return opened.Propagate<MirrorFileReceipt>();
        }
        var source = MirrorUrl.Redact(link.Url);
        using (response)
        {
            if (response.Content.Headers.ContentLength > options.MaxFileBytes)
            {
                return Fail(UpstreamFailureKind.TooLarge, $"upstream {source}: the file has {response.Content.Headers.ContentLength} bytes, over the limit of {options.MaxFileBytes}");
            }
            await using var pending = sink.Begin();
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var (otherName, other) = AnnouncedOtherHash(link);
            using var otherHash = other;
            long size = 0;
            var clientAlive = clientStream is not null;
            var buffer = new byte[1 << 16];
            var held = new byte[1 << 16]; // the piece read last: the client gets it only after the hash check
            var heldCount = 0;
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                while (true)
                {
                    int read;
                    using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        idle.CancelAfter(options.ReadIdleTimeout);
                        try
                        {
                            read = await body.ReadAsync(buffer, idle.Token);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            return Fail(UpstreamFailureKind.Timeout, $"upstream {source}: no data for {options.ReadIdleTimeout.TotalSeconds:0.###} s after {size} bytes; nothing was stored");
                        }
                        catch (Exception e) when (e is HttpRequestException or IOException)
                        {
                            return Fail(UpstreamFailureKind.Unreachable, $"upstream {source}: the download broke off after {size} bytes ({e.Message}); nothing was stored");
                        }
                    }
                    if (read == 0)
                    {
                        break;
                    }
                    size += read;
                    if (size > options.MaxFileBytes)
                    {
                        return Fail(UpstreamFailureKind.TooLarge, $"upstream {source}: the file is larger than the limit of {options.MaxFileBytes} bytes; nothing was stored");
                    }
                    sha256.AppendData(buffer, 0, read);
                    other?.AppendData(buffer, 0, read);
                    await pending.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    if (clientAlive && heldCount > 0)
                    {
                        clientAlive = await TryWriteAsync(clientStream!, held, heldCount, cancellationToken);
                    }
                    (buffer, held, heldCount) = (held, buffer, read);
                }
            }
            var actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
            if (link.Sha256 is { } expected && expected != actual)
            {
                return Fail(UpstreamFailureKind.HashMismatch,
                    $"upstream {source}: {link.Filename} has sha256 {actual} but the index page announced {expected}; the file was not stored");
            }
            if (other is not null && link.Hashes[otherName!] is var expectedOther
                && Convert.ToHexStringLower(other.GetHashAndReset()) is var actualOther && expectedOther != actualOther)
            {
                return Fail(UpstreamFailureKind.HashMismatch,
                    $"upstream {source}: {link.Filename} has {otherName} {actualOther} but the index page announced {expectedOther}; the file was not stored");
            }
            var receipt = new MirrorFileReceipt(link.Filename, actual, size, StreamedToCaller: clientStream is not null);
            if (clientAlive && heldCount > 0)
            {
                clientAlive = await TryWriteAsync(clientStream!, held, heldCount, cancellationToken);
            }
            if (clientAlive)
            {
                sent?.TrySetResult(receipt);
            }
            await pending.FinishAsync();
            await sink.CommitAsync(pending, new VerifiedMirrorFile(link.Filename, actual, size, link), cancellationToken);
            logger.LogInformation("Mirrored {File} ({Size} bytes, sha256 {Sha256}) from {Source}", link.Filename, size, actual, source);
            return new UpstreamResult<MirrorFileReceipt>.Success(receipt);
        }
    }

    /// <summary>When the page gave no sha256, another hash it gave (and .NET computes) is checked instead.</summary>
    private static (string? Name, IncrementalHash? Hash) AnnouncedOtherHash(UpstreamLink link)
    {
        if (link.Sha256 is not null)
        {
            return (null, null);
        }
        foreach (var (name, algorithm) in new[] { ("sha512", HashAlgorithmName.SHA512), ("sha384", HashAlgorithmName.SHA384), ("sha1", HashAlgorithmName.SHA1), ("md5", HashAlgorithmName.MD5) })
        {
            if (link.Hashes.ContainsKey(name))
            {
                return (name, IncrementalHash.CreateHash(algorithm));
            }
        }
        return (null, null);
    }

    private async Task<bool> TryWriteAsync(Stream clientStream, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        try
        {
            await clientStream.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away; finishing the download still fills the cache for the next one.
            logger.LogDebug("Client stopped reading a mirrored file: {Reason}", e.Message);
            return false;
        }
    }

    private UpstreamResult<MirrorFileReceipt> Fail(UpstreamFailureKind kind, string message)
    {
        logger.LogWarning("Mirror file fetch failed ({Kind}): {Message}", kind, message);
        return UpstreamResult<MirrorFileReceipt>.Fail(kind, message);
    }
}
