using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

public class SimpleJsonParserTests
{
    private static readonly Uri Page = new("https://upstream.example/simple/demo/");

    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Reads_files_hashes_metadata_yanked_and_versions()
    {
        var json = $$$"""
            {"meta": {"api-version": "1.1"}, "name": "Demo",
             "files": [
               {"filename": "demo-1.0-py3-none-any.whl", "url": "../../packages/demo-1.0-py3-none-any.whl", "hashes": {"sha256": "{{{Sha}}}"},
                "requires-python": ">=3.8", "core-metadata": {"sha256": "{{{Sha}}}"}, "yanked": false},
               {"filename": "demo-0.9.tar.gz", "url": "https://files.example/demo-0.9.tar.gz", "hashes": {}, "dist-info-metadata": true, "yanked": "bad build"},
               {"filename": "../escape", "url": "x", "hashes": {}},
               {"url": "no-filename"}
             ],
             "versions": ["0.9", "1.0"]}
            """;

        var (page, error) = SimpleJsonParser.ParseProjectPage(json, Page, "demo");

        error.Should().BeNull();
        page!.Name.Should().Be("Demo");
        page.Versions.Should().Equal("0.9", "1.0");
        page.Links.Should().HaveCount(2);
        page.Links[0].Url.AbsoluteUri.Should().Be("https://upstream.example/packages/demo-1.0-py3-none-any.whl");
        page.Links[0].Sha256.Should().Be(Sha);
        page.Links[0].RequiresPython.Should().Be(">=3.8");
        page.Links[0].CoreMetadata!["sha256"].Should().Be(Sha);
        page.Links[0].IsYanked.Should().BeFalse();
        page.Links[1].Yanked.Should().Be("bad build");
        page.Links[1].CoreMetadata.Should().BeEmpty();
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"files\": []}", "no meta.api-version")]
    [InlineData("{\"meta\": {\"api-version\": \"2.0\"}, \"files\": []}", "only 1.x")]
    [InlineData("{\"meta\": {\"api-version\": \"1.0\"}}", "no \"files\" list")]
    public void Refuses_malformed_pages_with_a_reason(string json, string reason)
    {
        var (page, error) = SimpleJsonParser.ParseProjectPage(json, Page, "demo");

        page.Should().BeNull();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Reads_the_project_list()
    {
        var (list, error) = SimpleJsonParser.ParseProjectList("""{"meta": {"api-version": "1.0"}, "projects": [{"name": "A_B"}, {"name": "c"}, {"bad": 1}]}""");

        error.Should().BeNull();
        list!.Projects.Should().Equal("A_B", "c");
    }
}
