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
