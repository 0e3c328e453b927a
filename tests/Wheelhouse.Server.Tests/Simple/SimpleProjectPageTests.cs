using System.Text;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Tests.Simple;

/// <summary>PEP 592 on both formats: the reason as the upstream gave it, escaped in HTML; JSON true when it gave none.</summary>
public sealed class SimpleProjectPageTests
{
    private static readonly string Sha = new('a', 64);

    private static SimpleFile File(string name, string? yanked) =>
        new(name, $"root/pypi/+f/aaa/aaaaaaaaaaaaa/{name}", Sha, null, null, "", null, yanked);

    private static readonly SimpleFile[] Files =
    [
        File("demo-1.0-py3-none-any.whl", null),
        File("demo-2.0-py3-none-any.whl", "broken <build> & \"more\""),
        File("demo-2.1-py3-none-any.whl", ""),
    ];

    [Fact]
    public void Html_marks_yanked_links_with_their_reason_escaped_and_leaves_the_others_alone()
    {
        var lines = Encoding.UTF8.GetString(SimpleProjectPage.Html("demo", Files, "../../")).Split('\n').Where(l => l.Contains("<a ", StringComparison.Ordinal)).ToList();

        lines.Should().HaveCount(3);
        lines[0].Should().NotContain("data-yanked");
        lines[1].Should().Contain(" data-yanked=\"broken &lt;build&gt; &amp; &quot;more&quot;\">demo-2.0-py3-none-any.whl</a>");
        lines[2].Should().Contain(" data-yanked=\"\">demo-2.1-py3-none-any.whl</a>");
    }

    [Fact]
    public void Json_gives_the_reason_or_true_and_no_key_for_a_file_not_yanked()
    {
        var files = JsonNode.Parse(SimpleProjectPage.Json("demo", Files, ["1.0", "2.0", "2.1"], "../../"))!["files"]!.AsArray();

        files[0]!.AsObject().ContainsKey("yanked").Should().BeFalse();
        files[1]!["yanked"]!.GetValue<string>().Should().Be("broken <build> & \"more\"");
        files[2]!["yanked"]!.GetValue<bool>().Should().BeTrue();
    }
}
