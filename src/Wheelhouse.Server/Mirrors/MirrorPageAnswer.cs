namespace Wheelhouse.Server.Mirrors;

/// <summary>What a mirror answers for a project page.</summary>
public abstract record MirrorPageAnswer
{
    private MirrorPageAnswer()
    {
    }

    /// <summary>A page to serve. <paramref name="Warning"/> is set (an HTTP <c>Warning</c> header value) when it is stale.</summary>
    public sealed record Page(UpstreamProjectPage Value, DateTimeOffset FetchedAt, string? Warning) : MirrorPageAnswer;

    /// <summary>The upstream does not have the project: for the resolution order, this mirror contributes nothing.</summary>
    public sealed record NotFound(string Message) : MirrorPageAnswer;

    /// <summary>The upstream failed and nothing is cached: the edge answers 502 with <paramref name="Message"/>.</summary>
    public sealed record Unavailable(string Message) : MirrorPageAnswer;
}
