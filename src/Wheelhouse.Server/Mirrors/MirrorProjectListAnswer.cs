namespace Wheelhouse.Server.Mirrors;

/// <summary>What a mirror answers for its project list (<c>/{mirror}/+simple/</c>).</summary>
public abstract record MirrorProjectListAnswer
{
    private MirrorProjectListAnswer()
    {
    }

    /// <param name="Warning">An HTTP <c>Warning</c> header value when the list is stale (the upstream failed).</param>
    public sealed record List(UpstreamProjectList Value, DateTimeOffset FetchedAt, string? Warning) : MirrorProjectListAnswer;

    /// <summary>The upstream failed and nothing is cached: a 502 with <paramref name="Message"/>.</summary>
    public sealed record Unavailable(string Message) : MirrorProjectListAnswer;
}
