using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

public class SimpleHtmlParserTests
{
    private static readonly Uri Page = new("https://upstream.example/simple/demo/");

    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Reads_links_with_hashes_requires_python_metadata_and_yanked()
    {
        var html = $"""
            <!DOCTYPE html>
            <html><head><meta name="pypi:repository-version" content="1.1"><title>Links for demo</title></head><body>
            <h1>Links for demo</h1>
            <a href="../../packages/demo-1.0-py3-none-any.whl#sha256={Sha.ToUpperInvariant()}" data-requires-python="&gt;=3.8,&lt;4" data-core-metadata="sha256={Sha}">demo-1.0-py3-none-any.whl</a><br/>
            <a href='https://files.example/demo-0.9.tar.gz#md5=0123456789abcdef0123456789abcdef' data-dist-info-metadata=true data-yanked="broken &amp; bad">demo-0.9.tar.gz</a>
            <A HREF="demo-0.8.zip" data-yanked>demo-0.8.zip</A>
            </body></html>
            """;

        var (page, error) = SimpleHtmlParser.ParseProjectPage(html, Page, "demo");

        error.Should().BeNull();
        page!.Links.Should().HaveCount(3);
        var wheel = page.Links[0];
        wheel.Url.Should().Be(new Uri("https://upstream.example/packages/demo-1.0-py3-none-any.whl"));
        wheel.Filename.Should().Be("demo-1.0-py3-none-any.whl");
        wheel.Sha256.Should().Be(Sha);
        wheel.RequiresPython.Should().Be(">=3.8,<4");
        wheel.CoreMetadata.Should().ContainKey("sha256").WhoseValue.Should().Be(Sha);
        wheel.IsYanked.Should().BeFalse();

        var sdist = page.Links[1];
        sdist.Url.AbsoluteUri.Should().Be("https://files.example/demo-0.9.tar.gz");
        sdist.Hashes.Should().ContainKey("md5");
        sdist.Sha256.Should().BeNull();
        sdist.CoreMetadata.Should().BeEmpty();
        sdist.Yanked.Should().Be("broken & bad");

        page.Links[2].Url.AbsoluteUri.Should().Be("https://upstream.example/simple/demo/demo-0.8.zip");
        page.Links[2].Yanked.Should().Be("");
        page.Links[2].Hashes.Should().BeEmpty();
    }

    [Fact]
    public void Honours_a_base_tag()
    {
        var html = """<html><head><base href="https://cdn.example/files/"></head><body><a href="x-1.0.tar.gz">x-1.0.tar.gz</a></body></html>""";

        var (page, _) = SimpleHtmlParser.ParseProjectPage(html, Page, "x");

        page!.Links.Single().Url.AbsoluteUri.Should().Be("https://cdn.example/files/x-1.0.tar.gz");
    }

    [Theory]
    [InlineData("<a href=\"..%2Fevil\">..%2Fevil</a>")]
    [InlineData("<a href=\"javascript:alert(1)\">x-1.0.tar.gz</a>")]
    [InlineData("<a href=\"file:///etc/passwd\">passwd</a>")]
    [InlineData("<a>no-href-1.0.tar.gz</a>")]
    [InlineData("<!-- <a href=\"old-1.0.tar.gz\">old-1.0.tar.gz</a> -->")]
    public void Skips_links_that_cannot_be_files(string anchor)
    {
        var (page, error) = SimpleHtmlParser.ParseProjectPage($"<html><body>{anchor}</body></html>", Page, "x");

        error.Should().BeNull();
        page!.Links.Should().BeEmpty();
    }

    [Theory]
    [InlineData("just some text")]
    [InlineData("{\"meta\": {}}")]
    [InlineData("\0\u0001binary<a")]
    [InlineData("")]
    public void Refuses_what_is_not_html(string body)
    {
        var (page, error) = SimpleHtmlParser.ParseProjectPage(body, Page, "x");

        page.Should().BeNull();
        error.Should().Contain("not an HTML page");
    }

    [Fact]
    public void An_empty_project_page_is_a_page_with_no_links()
    {
        var (page, error) = SimpleHtmlParser.ParseProjectPage("<!DOCTYPE html><html><body><h1>Links for x</h1></body></html>", Page, "x");

        error.Should().BeNull();
        page!.Links.Should().BeEmpty();
    }

    [Fact]
    public void Reads_the_project_list()
    {
        var (list, error) = SimpleHtmlParser.ParseProjectList("<html><body><a href=\"/simple/a-b/\">A_B</a>\n<a href=\"c/\">c</a></body></html>");

        error.Should().BeNull();
        list!.Projects.Should().Equal("A_B", "c");
    }
}
