namespace Wheelhouse.Server.Mirrors;

/// <summary>Why an upstream answer could not be used. Messages name the redacted upstream URL and what went wrong.</summary>
public enum UpstreamFailureKind
{
    /// <summary>Connection refused, DNS failure, reset: the upstream could not be reached.</summary>
    Unreachable,

    /// <summary>No answer within the configured time (after retries).</summary>
    Timeout,

    /// <summary>The upstream answered with an error status (after retries for 5xx).</summary>
    HttpError,

    /// <summary>The circuit breaker for this upstream host is open after repeated failures.</summary>
    CircuitOpen,

    /// <summary>The answer was not a simple-index page (not HTML or PEP 691 JSON, or malformed).</summary>
    Garbage,

    /// <summary>The answer was larger than the configured limit.</summary>
    TooLarge,

    /// <summary>A file's content did not match the hash the index page announced.</summary>
    HashMismatch,
}
