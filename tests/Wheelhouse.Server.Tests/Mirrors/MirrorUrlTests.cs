using Wheelhouse.Core.Packages;
using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

public class MirrorUrlTests
{
    [Fact]
    public void Credentials_are_split_off_and_never_shown()
    {
        var url = MirrorUrl.Parse("https://alice:s3cr%40t@index.example:8443/simple");

        url.BaseUri.AbsoluteUri.Should().Be("https://index.example:8443/simple/");
        url.ToString().Should().Be("https://alice:****@index.example:8443/simple/");
        url.Display.Should().NotContain("s3cr");
        url.HasCredentials.Should().BeTrue();
        url.ProjectPage(ProjectName.Parse("My_Pkg")).AbsoluteUri.Should().Be("https://index.example:8443/simple/my-pkg/");
    }

    [Fact]
    public void Basic_auth_goes_only_to_the_mirror_s_own_origin()
    {
        var url = MirrorUrl.Parse("https://alice:s3cr%40t@index.example/simple/");

        var header = url.AuthorizationFor(new Uri("https://index.example/packages/x.whl"));
        header!.Scheme.Should().Be("Basic");
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter!)).Should().Be("alice:s3cr@t");
        url.AuthorizationFor(new Uri("https://cdn.example/packages/x.whl")).Should().BeNull();
        url.AuthorizationFor(new Uri("http://index.example/packages/x.whl")).Should().BeNull();
        MirrorUrl.Parse("https://index.example/simple/").AuthorizationFor(new Uri("https://index.example/x")).Should().BeNull();
    }

    [Theory]
    [InlineData("ftp://u:hunter2@host/simple/")]
    [InlineData("not a url hunter2")]
    [InlineData("https://u:hunter2@host/simple/?q=1")]
    public void Bad_urls_are_refused_without_echoing_the_password(string raw)
    {
        MirrorUrl.TryParse(raw, out var url, out var error).Should().BeFalse();

        url.Should().BeNull();
        error.Should().NotContain("hunter2");
    }
}
