using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

public class MirrorCachePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly UpstreamProjectPage OldPage = new("demo", [], ["1.0"]);
    private static readonly UpstreamProjectPage NewPage = new("demo", [], ["1.0", "2.0"]);
    private static readonly UpstreamFailure Down = new(UpstreamFailureKind.Unreachable, "upstream https://u:****@x/simple/demo/: cannot connect (Connection refused)");

    [Theory]
    [InlineData(0, 1800, true)]
    [InlineData(1799, 1800, true)]
    [InlineData(1800, 1800, false)]
    [InlineData(5, 0, false)]
    [InlineData(-60, 1800, false)] // fetched "in the future" (clock moved back): refetch rather than trust it
    public void A_page_is_fresh_while_younger_than_the_expiry(int ageSeconds, int expiry, bool fresh)
    {
        var cached = new MirrorCachedPage(OldPage, Now.AddSeconds(-ageSeconds));

        MirrorCachePolicy.IsFresh(cached, Now, expiry).Should().Be(fresh);
    }

    [Fact]
    public void Nothing_cached_is_never_fresh() => MirrorCachePolicy.IsFresh(null, Now, 1800).Should().BeFalse();

    [Fact]
    public void A_fetched_page_replaces_the_cached_one()
    {
        var answer = MirrorCachePolicy.AfterFetch("root/pypi", "demo", new MirrorCachedPage(OldPage, Now.AddHours(-1)),
            new UpstreamResult<UpstreamProjectPage>.Success(NewPage), Now);

        answer.Should().Be(new MirrorPageAnswer.Page(NewPage, Now, null));
    }

    [Fact]
    public void An_upstream_failure_serves_the_stale_page_with_a_warning()
    {
        var answer = MirrorCachePolicy.AfterFetch("root/pypi", "demo", new MirrorCachedPage(OldPage, Now.AddSeconds(-3600)),
            new UpstreamResult<UpstreamProjectPage>.Failed(Down), Now);

        var page = answer.Should().BeOfType<MirrorPageAnswer.Page>().Subject;
        page.Value.Should().Be(OldPage);
        page.FetchedAt.Should().Be(Now.AddSeconds(-3600));
        page.Warning.Should().StartWith("111 wheelhouse \"mirror root/pypi: upstream failed (")
            .And.Contain("Connection refused").And.Contain("2026-11-28T11:00:00Z (3600 s old)").And.EndWith("\"");
    }

    [Fact]
    public void An_upstream_failure_with_nothing_cached_is_unavailable()
    {
        var answer = MirrorCachePolicy.AfterFetch("root/pypi", "demo", null, new UpstreamResult<UpstreamProjectPage>.Failed(Down), Now);

        answer.Should().BeOfType<MirrorPageAnswer.Unavailable>().Which.Message
            .Should().Be("mirror root/pypi cannot serve demo: " + Down.Message + "; there is no cached copy to fall back on");
    }

    [Fact]
    public void A_404_upstream_means_not_found_even_with_a_cached_page()
    {
        var answer = MirrorCachePolicy.AfterFetch("root/pypi", "demo", new MirrorCachedPage(OldPage, Now.AddDays(-1)),
            new UpstreamResult<UpstreamProjectPage>.NotFound("https://x/simple/demo/ answered 404 Not Found"), Now);

        answer.Should().BeOfType<MirrorPageAnswer.NotFound>().Which.Message.Should().Contain("404");
    }

    [Fact]
    public void The_warning_is_a_valid_header_value_whatever_the_message()
    {
        var odd = new UpstreamFailure(UpstreamFailureKind.Garbage, "quote \" backslash \\ non-ASCII é\nnewline");

        var warning = MirrorCachePolicy.StaleWarning("root/pypi", odd, Now.AddMinutes(-1), Now);

        warning.Should().MatchRegex("^111 wheelhouse \"([ -~])*\"$").And.Contain("\\\"").And.Contain("\\\\").And.NotContain("é");
    }

    [Fact]
    public void A_never_fetched_file_names_the_file_and_the_failure()
    {
        MirrorCachePolicy.FileUnavailable("root/pypi", "demo-1.0.tar.gz", Down)
            .Should().Be($"mirror root/pypi cannot serve demo-1.0.tar.gz: {Down.Message}; the file was never fetched, so there is no cached copy");
    }
}
