using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Tests.Indexes;

public class NamesTests
{
    [Theory]
    [InlineData("root")]
    [InlineData("team-a")]
    [InlineData("first.last@example.com")]
    [InlineData("my_index")]
    [InlineData("Stable-Local")]
    public void Accepts_devpi_names(string raw)
    {
        UserName.TryParse(raw, out var user, out var error).Should().BeTrue(error);
        user!.Value.Should().Be(raw);
        IndexName.TryParse(raw, out var index, out error).Should().BeTrue(error);
        index!.ToString().Should().Be(raw);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a+b")]
    [InlineData("+api")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a#b")]
    [InlineData("a%2F")]
    [InlineData("a\nb")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("x$")]
    public void Refuses_other_names(string raw)
    {
        UserName.TryParse(raw, out _, out var error).Should().BeFalse();
        error.Should().NotBeNullOrEmpty();
        IndexName.TryParse(raw, out _, out error).Should().BeFalse();
        error.Should().NotBeNullOrEmpty();
    }

    [Theory]
    [InlineData(".hidden")]
    [InlineData(".x")]
    [InlineData("r\u043E\u043Et")] // Cyrillic look-alike of root
    [InlineData("\u212Aelvin")]
    public void New_names_are_ascii_and_do_not_start_with_a_dot(string raw)
    {
        UserName.TryParseNew(raw, out _, out var error).Should().BeFalse();
        error.Should().Contain("user name");
        IndexName.TryParseNew(raw, out _, out error).Should().BeFalse();
        error.Should().Contain("index name");
        UserName.TryParse(raw, out _, out _).Should().BeTrue("names stored before this rule stay reachable");
    }

    [Fact]
    public void New_names_follow_the_rules_of_all_names()
    {
        UserName.TryParseNew("team.a", out var user, out _).Should().BeTrue();
        user!.Value.Should().Be("team.a");
        IndexName.TryParseNew("a/b", out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Refuses_over_long_names() =>
        UserName.TryParse(new string('u', 65), out _, out _).Should().BeFalse();

    [Theory]
    [InlineData("team/dev", "team", "dev")]
    [InlineData("/team/dev/", "team", "dev")]
    public void Parses_index_paths(string raw, string user, string index)
    {
        IndexPath.TryParse(raw, out var path, out var error).Should().BeTrue(error);
        path!.User.Value.Should().Be(user);
        path.Index.Value.Should().Be(index);
        path.ToString().Should().Be($"{user}/{index}");
        path.Should().Be(IndexPath.Parse($"{user}/{index}"));
    }

    [Theory]
    [InlineData("team")]
    [InlineData("team/dev/x")]
    [InlineData("team/+simple")]
    [InlineData("")]
    public void Refuses_bad_index_paths(string raw) => IndexPath.TryParse(raw, out _, out _).Should().BeFalse();

    [Fact]
    public void Root_is_recognised() => UserName.Parse("root").IsRoot.Should().BeTrue();
}
