using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Tests.Indexes;

public class MirrorUrlRulesTests
{
    [Theory]
    [InlineData("http://bob:hunter2@bad host/")]
    [InlineData("bob:hunter2@pypi.example")]
    [InlineData("http://bob:hunter2@[::1/")]
    public void A_url_that_cannot_be_parsed_is_replaced_as_a_whole(string url)
    {
        MirrorUrlRules.Redact(url).Should().Be(MirrorUrlRules.Unparseable);
        MirrorUrlRules.TryParse(url, out _, out var error).Should().BeFalse();
        error.Should().NotContain("hunter2");
        new IndexConfig { Type = IndexType.Mirror, MirrorUrl = url }.MirrorUrlForDisplay.Should().NotContain("hunter2");
    }

    [Theory]
    [InlineData("https://bob:hunter2@pypi.example/simple/", "https://bob:****@pypi.example/simple/")]
    [InlineData("https://pypi.example/simple/?token=hunter2", "https://pypi.example/simple/?****")]
    [InlineData("https://pypi.example/simple/#hunter2", "https://pypi.example/simple/#****")]
    [InlineData("https://pypi.org/simple/", "https://pypi.org/simple/")]
    public void Passwords_queries_and_fragments_are_masked(string url, string shown) => MirrorUrlRules.Redact(url).Should().Be(shown);

    [Theory]
    [InlineData("https://pypi.example/simple/?token=hunter2", "must not have a query")]
    [InlineData("https://pypi.example/simple/#x", "must not have a fragment")]
    [InlineData("ftp://pypi.example/", "not an absolute http or https URL")]
    public void Creation_applies_the_rule_use_applies(string url, string message)
    {
        var result = IndexConfigRules.Create(IndexPath.Parse("team/up"), new() { ["type"] = "mirror", ["mirror_url"] = url }, _ => true);
        result.IsValid(out _, out var invalid).Should().BeFalse();
        invalid!.Message.Should().Contain(message).And.NotContain("hunter2");
        MirrorUrlRules.TryParse(url, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Credentials_are_split_off()
    {
        MirrorUrlRules.TryParse("https://bob:p%40ss@pypi.example/simple", out var parts, out _).Should().BeTrue();
        parts!.BaseUri.AbsoluteUri.Should().Be("https://pypi.example/simple/");
        (parts.User, parts.Password).Should().Be(("bob", "p@ss"));
    }
}
