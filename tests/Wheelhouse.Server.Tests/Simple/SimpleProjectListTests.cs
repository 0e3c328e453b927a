using System.Text;
using Wheelhouse.Server.Simple;

namespace Wheelhouse.Server.Tests.Simple;

public sealed class SimpleProjectListTests
{
    [Theory]
    [InlineData("")]
    [InlineData("+simple/")]
    public void The_html_list_links_every_project_with_its_escaped_display_name(string hrefPrefix)
    {
        var html = Encoding.UTF8.GetString(SimpleProjectList.Html([("a-b", "A_b"), ("caf\u00e9", "Caf\u00e9 & <Co>")], hrefPrefix));

        html.Should().Be(
            "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n    <title>Simple index</title>\n  </head>\n  <body>\n"
            + $"    <a href=\"{hrefPrefix}a-b/\">A_b</a><br>\n"
            + $"    <a href=\"{hrefPrefix}caf&#233;/\">Caf&#233; &amp; &lt;Co&gt;</a><br>\n"
            + "  </body>\n</html>\n");
    }

    [Fact]
    public void An_empty_list_is_a_page_without_links()
    {
        Encoding.UTF8.GetString(SimpleProjectList.Html([], "")).Should().NotContain("<a ").And.EndWith("  </body>\n</html>\n");
    }
}
