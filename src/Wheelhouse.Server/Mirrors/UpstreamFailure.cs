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

public sealed record UpstreamFailure(UpstreamFailureKind Kind, string Message)
{
    /// <summary>Whether a cached copy may stand in (everything except content that was wrong, which is never served).</summary>
    public bool IsTransient => Kind is UpstreamFailureKind.Unreachable or UpstreamFailureKind.Timeout
        or UpstreamFailureKind.HttpError or UpstreamFailureKind.CircuitOpen or UpstreamFailureKind.Garbage or UpstreamFailureKind.TooLarge;

    public override string ToString() => Message;
}

/// <summary>The outcome of one upstream call: the value, "the upstream does not know this project" (404), or a failure.</summary>
public abstract record UpstreamResult<T>
{
    private UpstreamResult()
    {
    }

    public sealed record Success(T Value) : UpstreamResult<T>;

    /// <summary>The upstream answered 404: an answer, not a failure (the project does not exist there).</summary>
    public sealed record NotFound(string Message) : UpstreamResult<T>;

    public sealed record Failed(UpstreamFailure Failure) : UpstreamResult<T>;

    public static UpstreamResult<T> Fail(UpstreamFailureKind kind, string message) => new Failed(new UpstreamFailure(kind, message));

    /// <summary>Carries a not-found or a failure over to another result type (a success cannot be carried).</summary>
    public UpstreamResult<TOther> Propagate<TOther>() => this switch
    {
        NotFound n => new UpstreamResult<TOther>.NotFound(n.Message),
        Failed f => new UpstreamResult<TOther>.Failed(f.Failure),
        _ => throw new InvalidOperationException("a successful upstream result cannot be propagated as another type"),
    };
}
