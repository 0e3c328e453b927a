using Wheelhouse.Server.Web.Docs;

namespace Wheelhouse.Server.Tests.Web.Docs;

public sealed class DocumentationPathTests
{
    [Theory]
    [InlineData("", "index.html")]
    [InlineData("index.html", "index.html")]
    [InlineData("api/", "api/index.html")]
    [InlineData("_static/style.css", "_static/style.css")]
    public void A_path_names_an_entry_and_a_directory_its_index(string path, string entry) =>
        DocumentationPath.Normalize(path).Should().Be(entry);

    [Theory]
    [InlineData("../secret")]
    [InlineData("a/../../b")]
    [InlineData("./index.html")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a\\..\\b")]
    [InlineData("a\0b")]
    public void A_path_that_could_leave_or_blur_the_documentation_is_refused(string path) =>
        DocumentationPath.Normalize(path).Should().BeNull();

    [Theory]
    [InlineData("./index.html", "index.html")]
    [InlineData("/index.html", "index.html")]
    [InlineData("api\\index.html", "api/index.html")]
    public void Entry_names_are_read_as_paths(string fullName, string path) => DocumentationPath.OfEntry(fullName).Should().Be(path);
}
